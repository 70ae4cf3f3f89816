using Alimentar.Hub.Repos;

namespace Alimentar.Hub.Download;

/// <summary>
/// The Hugging Face cache as huggingface_hub lays it out, so that files one tool downloaded the other finds:
/// <c>{cache}/datasets--{org}--{name}/blobs/{etag}</c> (the bytes, named by SHA-256 for LFS files and git blob id
/// otherwise), <c>snapshots/{commit}/{path}</c> (relative symbolic links to the blobs) and <c>refs/{revision}</c>
/// (the commit a branch or tag pointed at). Partial downloads are <c>blobs/{etag}.incomplete</c>, as Python names
/// them, so either can resume the other's.
/// </summary>
public sealed class HfCache(string root)
{
    public string Root { get; } = Path.GetFullPath(root);

    /// <summary><c>HF_HUB_CACHE</c>, else <c>$HF_HOME/hub</c>, else <c>$XDG_CACHE_HOME/huggingface/hub</c>, else <c>~/.cache/huggingface/hub</c>.</summary>
    public static HfCache Default(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (environment("HF_HUB_CACHE") is { Length: > 0 } cache)
        {
            return new HfCache(cache);
        }

        return new HfCache(Path.Combine(Client.HubConfig.HfHome(environment), "hub"));
    }

    public string RepoFolder(RepoId repo) => Path.Combine(Root, $"{repo.Type.ToString().ToLowerInvariant()}s--{repo.FullName.Replace("/", "--", StringComparison.Ordinal)}");

    public string Blob(RepoId repo, string etag) => Path.Combine(RepoFolder(repo), "blobs", etag);

    public string Snapshot(RepoId repo, string commit) => Path.Combine(RepoFolder(repo), "snapshots", commit);

    public string Ref(RepoId repo, string revision) => Path.Combine(RepoFolder(repo), "refs", revision);

    /// <summary>Links <c>snapshots/{commit}/{path}</c> to its blob (relative, as Python makes it), replacing what was there.</summary>
    public void Link(RepoId repo, string commit, string path, string etag)
    {
        var link = Path.Combine(Snapshot(repo, commit), path);
        Directory.CreateDirectory(Path.GetDirectoryName(link)!);
        var target = Path.GetRelativePath(Path.GetDirectoryName(link)!, Blob(repo, etag));
        if (File.Exists(link) || new FileInfo(link).LinkTarget is not null)
        {
            File.Delete(link);
        }

        File.CreateSymbolicLink(link, target);
    }

    /// <summary>Records that <paramref name="revision"/> pointed at <paramref name="commit"/> (not for a commit id itself).</summary>
    public void WriteRef(RepoId repo, string revision, string commit)
    {
        if (revision == commit)
        {
            return;
        }

        var path = Ref(repo, revision);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllText(temp, commit);
        File.Move(temp, path, overwrite: true);
    }
}
