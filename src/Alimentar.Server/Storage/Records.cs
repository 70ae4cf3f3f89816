using Alimentar.Hub.Repos;

namespace Alimentar.Server.Storage;

/// <summary>A repository's own record (not its content).</summary>
public sealed record RepoRecord(string Id, RepoType Type, bool Private, DateTimeOffset CreatedAt, string InternalId, string Owner);

/// <summary>A file at a commit: a regular file (git blob SHA-1) or an LFS object (SHA-256).</summary>
public sealed record FileEntry(string Oid, long Size, bool Lfs);

/// <summary>A commit: its parents and the complete file map of the revision it creates.</summary>
public sealed record CommitRecord(
    string Oid,
    IReadOnlyList<string> Parents,
    string Title,
    string Description,
    string Author,
    DateTimeOffset Date,
    SortedDictionary<string, FileEntry> Files);

/// <summary>An operation of a commit request, after parsing.</summary>
public abstract record CommitChange(string Path);

public sealed record PutRegularFile(string Path, byte[] Content) : CommitChange(Path);

public sealed record PutLfsFile(string Path, string Sha256, long? Size) : CommitChange(Path);

public sealed record DeletePath(string Path, bool Folder) : CommitChange(Path);

/// <summary>A failure the HTTP layer maps to a status and an X-Error-Code.</summary>
public sealed class HubException(int status, string message, string? errorCode = null) : Exception(message)
{
    public int Status { get; } = status;

    public string? ErrorCode { get; } = errorCode;

    public static HubException RepoNotFound(string id) => new(404, $"Repository not found: {id}", HubErrorCodes.RepoNotFound);

    public static HubException RevisionNotFound(string revision) => new(404, $"Revision not found: {revision}", HubErrorCodes.RevisionNotFound);

    public static HubException EntryNotFound(string path) => new(404, $"Entry not found: {path}", HubErrorCodes.EntryNotFound);

    public static HubException BadRequest(string message) => new(400, message);
}
