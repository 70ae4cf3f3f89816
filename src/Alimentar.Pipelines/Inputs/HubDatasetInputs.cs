using Alimentar.Hub.Client;
using Alimentar.Hub.Download;
using Alimentar.Hub.Repos;

namespace Alimentar.Pipelines.Inputs;

/// <summary>
/// <c>hf://datasets/{org}/{name}[@revision][/path-or-glob]</c> inputs (the form <c>HfFileSystem</c>, pandas and DuckDB
/// use) for any command that reads datasets: the matching files are pulled into the Hugging Face cache first (or
/// found there), and the command reads the local snapshot.
/// </summary>
public static class HubDatasetInputs
{
    public const string Scheme = "hf://";

    public static bool IsHubPath(string input) => input.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase);

    /// <summary>The inputs with every <c>hf://</c> one replaced by its local snapshot path (a file, folder or glob).</summary>
    public static async Task<IReadOnlyList<string>> ResolveAsync(IReadOnlyList<string> inputs, HubClientOptions client, HfCache? cache = null, CancellationToken cancel = default)
    {
        if (!inputs.Any(IsHubPath))
        {
            return inputs;
        }

        using var hub = new HubClient(client);
        var result = new List<string>();
        foreach (var input in inputs)
        {
            if (!IsHubPath(input))
            {
                result.Add(input);
                continue;
            }

            var (repo, revision, path) = Parse(input);
            var include = path is null ? [] : new[] { path, path.TrimEnd('/') + "/*" };
            var pulled = await new SnapshotDownloader(hub).PullAsync(repo, new PullOptions { Revision = revision, Include = include, Cache = cache }, cancel);
            if (path is not null && pulled.Files.Count == 0)
            {
                throw new ArgumentException($"{input}: no file of {repo}@{revision} matches '{path}'");
            }

            result.Add(path is null ? pulled.Destination : Path.Combine(pulled.Destination, path));
        }

        return result;
    }

    /// <summary><c>hf://datasets/org/name@rev/path</c> into its parts; a revision with a slash is written <c>%2F</c>, as HfFileSystem writes it.</summary>
    public static (RepoId Repo, string Revision, string? Path) Parse(string input)
    {
        var rest = input[Scheme.Length..];
        var type = RepoType.Model;
        foreach (var (segment, kind) in new[] { ("datasets/", RepoType.Dataset), ("spaces/", RepoType.Space), ("models/", RepoType.Model) })
        {
            if (rest.StartsWith(segment, StringComparison.Ordinal))
            {
                type = kind;
                rest = rest[segment.Length..];
                break;
            }
        }

        var parts = rest.Split('/', 3);
        if (parts.Length < 2 || parts[0].Length == 0 || parts[1].Length == 0)
        {
            throw new ArgumentException($"{input}: expected hf://datasets/namespace/name[@revision][/path]");
        }

        var name = parts[1];
        var revision = "main";
        var at = name.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            revision = Uri.UnescapeDataString(name[(at + 1)..]);
            name = name[..at];
        }

        RepoId repo;
        try
        {
            repo = RepoId.Parse($"{parts[0]}/{name}", type);
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"{input}: {ex.Message}");
        }

        var path = parts.Length > 2 && parts[2].Length > 0 ? parts[2] : null;
        return (repo, revision, path);
    }
}
