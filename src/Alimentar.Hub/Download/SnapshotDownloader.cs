using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text;
using Alimentar.Hub.Client;
using Alimentar.Hub.Repos;

namespace Alimentar.Hub.Download;

/// <summary>What <see cref="SnapshotDownloader"/> fetches and where it puts it.</summary>
public sealed record PullOptions
{
    /// <summary>A branch, tag or commit; resolved to a commit once, so a push that lands mid-download does not mix revisions.</summary>
    public string Revision { get; init; } = "main";

    /// <summary>huggingface_hub's <c>allow_patterns</c> (fnmatch on the path; a trailing <c>/</c> means the folder).</summary>
    public IReadOnlyList<string> Include { get; init; } = [];

    public IReadOnlyList<string> Exclude { get; init; } = [];

    /// <summary>A plain folder instead of the cache.</summary>
    public string? LocalDir { get; init; }

    /// <summary>The cache; by default <see cref="HfCache.Default"/>.</summary>
    public HfCache? Cache { get; init; }

    /// <summary>Files downloaded at once (huggingface_hub uses 8).</summary>
    public int Parallelism { get; init; } = 8;

    /// <summary>Times a download cut short is resumed before giving up.</summary>
    public int MaxResumes { get; init; } = 5;

    public IProgress<TransferProgress>? Progress { get; init; }
}

/// <summary>One file of a pull: where it is now, and whether its bytes were fetched or found already there.</summary>
public sealed record PulledFile(string Path, long Size, string Etag, string LocalPath, bool Downloaded);

public sealed record PullResult(RepoId Repo, string Revision, string Commit, string Destination, IReadOnlyList<PulledFile> Files)
{
    public long BytesDownloaded => Files.Where(f => f.Downloaded).Sum(f => f.Size);
}

/// <summary>
/// Downloads a repo at one commit (<c>alimentar hub pull</c>, huggingface_hub's <c>snapshot_download</c>): files in
/// parallel, each resumed with <c>Range</c> after a dropped connection and verified (SHA-256 for LFS files, git blob
/// id otherwise) before it is renamed into place, into the Hugging Face cache or a plain folder. Files already in
/// the cache are not fetched again, whichever tool put them there.
/// </summary>
public sealed class SnapshotDownloader(HubClient client)
{
    public async Task<PullResult> PullAsync(RepoId repo, PullOptions? options = null, CancellationToken cancel = default)
    {
        options ??= new PullOptions();
        if (RepoPaths.ValidateRevision(options.Revision) is { } problem)
        {
            throw new ArgumentException($"invalid revision '{options.Revision}': {problem}");
        }

        var snapshot = await client.GetRepoAsync(repo, options.Revision, cancel)
            ?? throw new HubApiException($"{repo}@{options.Revision}: repository or revision not found (a private repo needs a token that can read it)", HttpStatusCode.NotFound, HubErrorCodes.RepoNotFound);
        var commit = snapshot.Sha;
        var files = (await client.ListFilesAsync(repo, commit, cancel))
            .Where(f => RepoPatterns.Selected(f.Path, options.Include, options.Exclude))
            .OrderBy(f => f.Path, StringComparer.Ordinal)
            .ToList();
        var cache = options.LocalDir is null ? options.Cache ?? HfCache.Default() : null;
        var pulled = new PulledFile[files.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, files.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Parallelism), CancellationToken = cancel },
            async (i, token) => pulled[i] = await FetchAsync(repo, commit, files[i], cache, options, token));

        string destination;
        if (cache is not null)
        {
            foreach (var file in pulled)
            {
                cache.Link(repo, commit, file.Path, file.Etag);
            }

            Directory.CreateDirectory(cache.Snapshot(repo, commit));
            cache.WriteRef(repo, options.Revision, commit);
            destination = cache.Snapshot(repo, commit);
        }
        else
        {
            destination = Path.GetFullPath(options.LocalDir!);
            Directory.CreateDirectory(destination);
        }

        return new PullResult(repo, options.Revision, commit, destination, pulled);
    }

    private async Task<PulledFile> FetchAsync(RepoId repo, string commit, RepoFileEntry file, HfCache? cache, PullOptions options, CancellationToken cancel)
    {
        var (normalized, error) = RepoPaths.Normalize(file.Path);
        if (error is not null || normalized != file.Path)
        {
            throw new HubApiException($"the server listed an unsafe path '{file.Path}' ({error ?? "not normalized"})");
        }

        string target, partial;
        string? metadata = null;
        if (cache is not null)
        {
            target = cache.Blob(repo, file.Etag);
            partial = target + ".incomplete";
            if (File.Exists(target) && new FileInfo(target).Length == file.Size)
            {
                return new PulledFile(file.Path, file.Size, file.Etag, target, Downloaded: false);
            }
        }
        else
        {
            var root = Path.GetFullPath(options.LocalDir!);
            target = Path.Combine(root, file.Path);
            var download = Path.Combine(root, ".cache", "huggingface", "download");
            metadata = Path.Combine(download, file.Path + ".metadata");
            partial = Path.Combine(download, $"{file.Path}.{file.Etag}.incomplete");
            if (File.Exists(target) && new FileInfo(target).Length == file.Size && File.Exists(metadata)
                && File.ReadLines(metadata).Skip(1).FirstOrDefault() == file.Etag)
            {
                return new PulledFile(file.Path, file.Size, file.Etag, target, Downloaded: false);
            }
        }

        Directory.CreateDirectory(Path.GetDirectoryName(partial)!);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        using var hash = IncrementalHash.CreateHash(file.LfsSha256 is null ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA256);
        if (file.LfsSha256 is null)
        {
            hash.AppendData(Encoding.ASCII.GetBytes($"blob {file.Size}\0"));
        }

        await using (var output = new FileStream(partial, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1 << 16))
        {
            // What an earlier attempt (ours or Python's) left is hashed and kept; the rest is asked for with Range.
            if (output.Length > file.Size)
            {
                output.SetLength(0);
            }

            var buffer = new byte[1 << 16];
            int read;
            while ((read = await output.ReadAsync(buffer, cancel)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }

            for (var attempt = 0; output.Length < file.Size || (file.Size == 0 && attempt == 0); attempt++)
            {
                try
                {
                    using var response = await client.OpenFileAsync(repo, commit, file.Path, output.Length, cancel);
                    await using var body = await response.Content.ReadAsStreamAsync(cancel);
                    while ((read = await body.ReadAsync(buffer, cancel)) > 0)
                    {
                        var take = (int)Math.Min(read, file.Size - output.Length);
                        await output.WriteAsync(buffer.AsMemory(0, take), cancel);
                        hash.AppendData(buffer, 0, take);
                        options.Progress?.Report(new TransferProgress(file.Path, output.Length, file.Size, "downloading"));
                        if (take < read)
                        {
                            break;
                        }
                    }

                    if (file.Size == 0)
                    {
                        break;
                    }
                }
                catch (Exception ex) when (ex is IOException or HttpRequestException && !cancel.IsCancellationRequested && attempt < options.MaxResumes)
                {
                    await Task.Delay(client.RetryDelay(attempt + 1), cancel);
                }

                if (output.Length < file.Size && attempt >= options.MaxResumes)
                {
                    throw new HubApiException($"download {file.Path}: {output.Length:N0} of {file.Size:N0} bytes after {attempt + 1} attempts");
                }
            }

            await output.FlushAsync(cancel);
        }

        var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (actual != file.Etag)
        {
            File.Delete(partial);
            throw new HubApiException($"download {file.Path}: the bytes received do not match its {(file.LfsSha256 is null ? "git blob id" : "SHA-256")} ({actual} instead of {file.Etag}); not placed");
        }

        File.Move(partial, target, overwrite: true);
        if (metadata is not null)
        {
            // The format huggingface_hub writes for --local-dir downloads: commit, etag, time.
            await File.WriteAllTextAsync(metadata, string.Create(CultureInfo.InvariantCulture, $"{commit}\n{file.Etag}\n{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0:0.000}\n"), cancel);
        }

        options.Progress?.Report(new TransferProgress(file.Path, file.Size, file.Size, "done"));
        return new PulledFile(file.Path, file.Size, file.Etag, target, Downloaded: true);
    }
}
