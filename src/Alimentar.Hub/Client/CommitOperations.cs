using Alimentar.Hub.Repos;

namespace Alimentar.Hub.Client;

/// <summary>Where the bytes of an added file come from. <see cref="Open"/> may be called more than once (retries).</summary>
public sealed record FileSource(Func<Stream> Open, long Length, string Description)
{
    /// <summary>The content's SHA-256 (lower-case hex) when already known, e.g. from <see cref="HubClient.PreuploadAsync"/>: the commit then does not hash the file again. The server checks it on upload.</summary>
    public string? Sha256 { get; init; }

    public static FileSource FromPath(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"{path}: no such file", path);
        }

        var full = info.FullName;
        return new FileSource(() => new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan), info.Length, path);
    }

    public static FileSource FromBytes(byte[] bytes, string description = "bytes") => new(() => new MemoryStream(bytes, writable: false), bytes.Length, description);
}

/// <summary>One change of a commit, in the style of huggingface_hub's CommitOperation classes.</summary>
public abstract record CommitOperation
{
    protected CommitOperation(string pathInRepo)
    {
        var (path, error) = RepoPaths.Normalize(pathInRepo);
        PathInRepo = error is null ? path! : throw new ArgumentException($"invalid path in repo '{pathInRepo}': {error}");
    }

    public string PathInRepo { get; }
}

/// <summary>Adds or replaces a file.</summary>
public sealed record AddFileOperation : CommitOperation
{
    public AddFileOperation(string pathInRepo, FileSource source)
        : base(pathInRepo) => Source = source;

    public FileSource Source { get; }

    public static AddFileOperation FromPath(string localPath, string pathInRepo, string? sha256 = null) =>
        new(pathInRepo, FileSource.FromPath(localPath) with { Sha256 = sha256 });

    public static AddFileOperation FromBytes(byte[] content, string pathInRepo) => new(pathInRepo, FileSource.FromBytes(content, pathInRepo));
}

/// <summary>Deletes one file.</summary>
public sealed record DeleteFileOperation(string Path) : CommitOperation(Path);

/// <summary>Deletes a folder and everything below it.</summary>
public sealed record DeleteFolderOperation(string Path) : CommitOperation(Path);

/// <summary>What a commit should do and where.</summary>
public sealed record CommitRequest
{
    public required RepoId Repo { get; init; }

    public required IReadOnlyList<CommitOperation> Operations { get; init; }

    public required string Message { get; init; }

    public string Description { get; init; } = string.Empty;

    public string Revision { get; init; } = "main";

    public bool CreatePullRequest { get; init; }

    /// <summary>Expected head of <see cref="Revision"/>; by default the head read before uploading.</summary>
    public string? ParentCommit { get; init; }
}

/// <summary>What happened to one file.</summary>
public sealed record FileOutcome(string Path, string Mode, long Size, string? Sha256, string Action);

public sealed record CommitResult(string CommitOid, string CommitUrl, string? PullRequestUrl, bool NoOp, IReadOnlyList<FileOutcome> Files);

/// <summary>Bytes sent so far for one file.</summary>
public readonly record struct TransferProgress(string Path, long Done, long Total, string Stage);
