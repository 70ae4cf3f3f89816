using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Alimentar.Hub.Repos;

namespace Alimentar.Server.Storage;

/// <summary>
/// The server's storage on disk. Objects are content-addressed (LFS by SHA-256, regular files by git blob
/// SHA-1), commits are immutable JSON files named by their id, and refs are one-line files. Every file is
/// written to a temporary name, flushed and renamed into place, and a ref moves only after the objects and the
/// commit it points to are durable, so a crash leaves each branch at its previous or its new commit.
/// </summary>
public sealed partial class HubStore
{
    private static readonly string DefaultGitAttributes = string.Join('\n', new[]
    {
        "*.7z", "*.arrow", "*.bin", "*.bz2", "*.ckpt", "*.ftz", "*.gz", "*.h5", "*.joblib", "*.lz4", "*.mds", "*.mlmodel",
        "*.model", "*.msgpack", "*.npy", "*.npz", "*.onnx", "*.ot", "*.parquet", "*.pb", "*.pickle", "*.pkl", "*.pt", "*.pth",
        "*.rar", "*.safetensors", "saved_model/**/*", "*.tar.*", "*.tar", "*.tflite", "*.tgz", "*.wasm", "*.xz", "*.zip", "*.zst",
        "*tfevents*", "*.jpg", "*.jpeg", "*.png", "*.webp", "*.gif", "*.mp3", "*.wav", "*.flac", "*.ogg", "*.mp4",
    }.Select(p => $"{p} filter=lfs diff=lfs merge=lfs -text")) + "\n";

    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);

    public HubStore(string root)
    {
        Root = Path.GetFullPath(root);
        Directory.CreateDirectory(Path.Combine(Root, "objects", "lfs"));
        Directory.CreateDirectory(Path.Combine(Root, "objects", "blobs"));
        Directory.CreateDirectory(Path.Combine(Root, "uploads"));
        Directory.CreateDirectory(Path.Combine(Root, "repos"));
        CleanTemporaryFiles();
    }

    public string Root { get; }

    // ---- repositories -------------------------------------------------------------------------------------

    public RepoRecord? GetRepo(RepoId id)
    {
        var file = Path.Combine(RepoDir(id), "repo.json");
        return File.Exists(file) ? JsonSerializer.Deserialize(File.ReadAllBytes(file), ServerJsonContext.Default.RepoRecord) : null;
    }

    public async Task<RepoRecord> CreateRepoAsync(RepoId id, bool isPrivate, string owner, IReadOnlyList<PutRegularFile> initialFiles)
    {
        var gate = Lock(id);
        await gate.WaitAsync();
        try
        {
            if (GetRepo(id) is not null)
            {
                throw new HubException(409, $"You already created this {id.Type.ToString().ToLowerInvariant()} repo");
            }

            var dir = RepoDir(id);
            Directory.CreateDirectory(Path.Combine(dir, "commits"));
            Directory.CreateDirectory(Path.Combine(dir, "refs", "heads"));
            Directory.CreateDirectory(Path.Combine(dir, "refs", "pr"));
            var files = new SortedDictionary<string, FileEntry>(StringComparer.Ordinal);
            foreach (var file in initialFiles.Prepend(new PutRegularFile(".gitattributes", Encoding.UTF8.GetBytes(DefaultGitAttributes))))
            {
                files[file.Path] = new FileEntry(StoreBlob(file.Content), file.Content.Length, false);
            }

            var commit = WriteCommit(id, [], "initial commit", string.Empty, owner, files);
            WriteRef(id, "heads/main", commit.Oid);
            var record = new RepoRecord(id.FullName, id.Type, isPrivate, DateTimeOffset.UtcNow, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)), owner);
            WriteAtomic(Path.Combine(dir, "repo.json"), JsonSerializer.SerializeToUtf8Bytes(record, ServerJsonContext.Default.RepoRecord));
            return record;
        }
        finally
        {
            gate.Release();
        }
    }

    // ---- revisions ------------------------------------------------------------------------------------------

    /// <summary>Resolves a branch, <c>refs/pr/N</c>, or a commit id to a commit, or null.</summary>
    public CommitRecord? Resolve(RepoId id, string revision)
    {
        if (RepoPaths.ValidateRevision(revision) is not null)
        {
            return null;
        }

        if (RepoPaths.IsCommitId(revision))
        {
            return ReadCommit(id, revision);
        }

        var refName = RefName(revision);
        if (refName is null)
        {
            return null;
        }

        var refFile = Path.Combine(RepoDir(id), "refs", refName);
        return File.Exists(refFile) ? ReadCommit(id, File.ReadAllText(refFile).Trim()) : null;
    }

    public CommitRecord? ReadCommit(RepoId id, string oid)
    {
        if (!RepoPaths.IsCommitId(oid))
        {
            return null;
        }

        var file = Path.Combine(RepoDir(id), "commits", oid + ".json");
        return File.Exists(file) ? JsonSerializer.Deserialize(File.ReadAllBytes(file), ServerJsonContext.Default.CommitRecord) : null;
    }

    public IEnumerable<CommitRecord> History(RepoId id, CommitRecord head)
    {
        var current = head;
        while (current is not null)
        {
            yield return current;
            current = current.Parents.Count > 0 ? ReadCommit(id, current.Parents[0]) : null;
        }
    }

    /// <summary>Creates <paramref name="branch"/> at the head of <paramref name="from"/>; 409 if it exists.</summary>
    public async Task<CommitRecord> CreateBranchAsync(RepoId id, string branch, string from)
    {
        var gate = Lock(id);
        await gate.WaitAsync();
        try
        {
            var refName = RefName(branch);
            if (refName is null || !refName.StartsWith("heads/", StringComparison.Ordinal))
            {
                throw HubException.BadRequest($"invalid branch name '{branch}'");
            }

            if (File.Exists(Path.Combine(RepoDir(id), "refs", refName)))
            {
                throw new HubException(409, $"Branch {branch} already exists");
            }

            var start = Resolve(id, from) ?? throw HubException.RevisionNotFound(from);
            WriteRef(id, refName, start.Oid);
            return start;
        }
        finally
        {
            gate.Release();
        }
    }

    public IReadOnlyList<string> Branches(RepoId id)
    {
        var heads = Path.Combine(RepoDir(id), "refs", "heads");
        return Directory.Exists(heads)
            ? Directory.EnumerateFiles(heads, "*", SearchOption.AllDirectories).Where(f => !Path.GetFileName(f).StartsWith('.')).Select(f => Path.GetRelativePath(heads, f).Replace('\\', '/')).ToList()
            : [];
    }

    /// <summary>
    /// Applies <paramref name="changes"/> on top of <paramref name="revision"/> as one commit. Commits to one repo
    /// are serialized; a stale <paramref name="parentCommit"/> is refused with 412.
    /// </summary>
    public async Task<(CommitRecord Commit, int? PullRequest)> CommitAsync(RepoId id, string revision, IReadOnlyList<CommitChange> changes, string title, string description, string? parentCommit, bool createPr, string author, Action? beforeRefMoves = null)
    {
        var gate = Lock(id);
        await gate.WaitAsync();
        try
        {
            var baseCommit = Resolve(id, revision) ?? throw HubException.RevisionNotFound(revision);
            if (parentCommit is not null)
            {
                if (!createPr && !baseCommit.Oid.StartsWith(parentCommit, StringComparison.Ordinal))
                {
                    throw new HubException(412, $"A commit has happened since. Please refresh and try again. (parentCommit {parentCommit} is not the head {baseCommit.Oid} of {revision})");
                }

                if (createPr)
                {
                    baseCommit = History(id, baseCommit).FirstOrDefault(c => c.Oid.StartsWith(parentCommit, StringComparison.Ordinal))
                        ?? throw new HubException(412, $"parentCommit {parentCommit} is not in the history of {revision}");
                }
            }

            var files = new SortedDictionary<string, FileEntry>(baseCommit.Files, StringComparer.Ordinal);
            var lfsPaths = new List<string>();
            foreach (var change in changes)
            {
                switch (change)
                {
                    case PutRegularFile put:
                        files[put.Path] = new FileEntry(StoreBlob(put.Content), put.Content.Length, false);
                        break;
                    case PutLfsFile lfs:
                        var size = ObjectSize(lfs.Sha256) ?? throw HubException.BadRequest($"LFS object {lfs.Sha256} for '{lfs.Path}' was not uploaded");
                        if (lfs.Size is { } expected && expected != size)
                        {
                            throw HubException.BadRequest($"LFS object {lfs.Sha256} for '{lfs.Path}' has {size} bytes, the commit says {expected}");
                        }

                        files[lfs.Path] = new FileEntry(lfs.Sha256, size, true);
                        lfsPaths.Add(lfs.Path);
                        break;
                    case DeletePath { Folder: true } folder:
                        var prefix = folder.Path.TrimEnd('/') + "/";
                        var doomed = files.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList();
                        if (doomed.Count == 0)
                        {
                            throw HubException.EntryNotFound(folder.Path);
                        }

                        doomed.ForEach(k => files.Remove(k));
                        break;
                    case DeletePath file:
                        if (!files.Remove(file.Path))
                        {
                            throw new HubException(404, $"A file with this name doesn't exist: {file.Path}", "EntryNotFound");
                        }

                        break;
                }
            }

            TrackLfsPaths(files, lfsPaths);
            var commit = WriteCommit(id, [baseCommit.Oid], title, description, author, files);
            int? pr = null;
            beforeRefMoves?.Invoke();
            if (createPr)
            {
                pr = NextPullRequest(id);
                WriteRef(id, $"pr/{pr}", commit.Oid);
            }
            else
            {
                WriteRef(id, RefName(revision) ?? throw HubException.BadRequest("cannot commit to a commit id; name a branch"), commit.Oid);
            }

            return (commit, pr);
        }
        finally
        {
            gate.Release();
        }
    }

    private void TrackLfsPaths(SortedDictionary<string, FileEntry> files, List<string> lfsPaths)
    {
        if (lfsPaths.Count == 0)
        {
            return;
        }

        var attributes = files.TryGetValue(".gitattributes", out var entry) && !entry.Lfs ? Encoding.UTF8.GetString(ReadBlob(entry.Oid)) : string.Empty;
        var patterns = GitAttributes.LfsPatterns(attributes);
        var added = lfsPaths.Where(p => !GitAttributes.Tracks(patterns, p)).Distinct().ToList();
        if (added.Count == 0)
        {
            return;
        }

        var text = attributes.Length > 0 && !attributes.EndsWith('\n') ? attributes + "\n" : attributes;
        text += string.Concat(added.Select(GitAttributes.LfsLine));
        var bytes = Encoding.UTF8.GetBytes(text);
        files[".gitattributes"] = new FileEntry(StoreBlob(bytes), bytes.Length, false);
    }

    private int NextPullRequest(RepoId id)
    {
        var dir = Path.Combine(RepoDir(id), "refs", "pr");
        Directory.CreateDirectory(dir);
        var numbers = Directory.EnumerateFiles(dir).Select(f => int.TryParse(Path.GetFileName(f), out var n) ? n : 0);
        return numbers.DefaultIfEmpty(0).Max() + 1;
    }

    private CommitRecord WriteCommit(RepoId id, IReadOnlyList<string> parents, string title, string description, string author, SortedDictionary<string, FileEntry> files)
    {
        var date = DateTimeOffset.UtcNow;
        var unsigned = new CommitRecord(string.Empty, parents, title, description, author, date, files);
        var oid = Convert.ToHexStringLower(SHA1.HashData(JsonSerializer.SerializeToUtf8Bytes(unsigned, ServerJsonContext.Default.CommitRecord)));
        var commit = unsigned with { Oid = oid };
        PersistCommit(id, commit);
        return commit;
    }

    // ---- objects --------------------------------------------------------------------------------------------

    public string LfsPath(string sha256) => Path.Combine(Root, "objects", "lfs", sha256[..2], sha256[2..4], sha256);

    public long? ObjectSize(string sha256)
    {
        if (!GitObjects.IsSha256(sha256))
        {
            return null;
        }

        var info = new FileInfo(LfsPath(sha256));
        return info.Exists ? info.Length : null;
    }

    /// <summary>Streams a body into the LFS store, verifying SHA-256 and size; a mismatch is discarded.</summary>
    public async Task StoreObjectAsync(string sha256, long size, Stream body, CancellationToken cancel)
    {
        if (ObjectSize(sha256) == size)
        {
            await body.CopyToAsync(Stream.Null, cancel);
            return;
        }

        var temp = TempPath("objects");
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long written = 0;
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                var buffer = new byte[1 << 16];
                int read;
                while ((read = await body.ReadAsync(buffer, cancel)) > 0)
                {
                    written += read;
                    if (written > size)
                    {
                        throw HubException.BadRequest($"body is larger than the declared size {size}");
                    }

                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancel);
                }

                await file.FlushAsync(cancel);
                file.Flush(flushToDisk: true);
            }

            var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
            if (written != size)
            {
                throw HubException.BadRequest($"body has {written} bytes, expected {size}");
            }

            if (actual != sha256)
            {
                throw HubException.BadRequest($"sha256 mismatch: body hashes to {actual}, expected {sha256}");
            }

            MoveIntoPlace(temp, LfsPath(sha256));
        }
        finally
        {
            TryDelete(temp);
        }
    }

    /// <summary>Assembles multipart parts into an object, verifying SHA-256 and size.</summary>
    public void AssembleObject(string sha256, long size, IReadOnlyList<string> partFiles)
    {
        if (ObjectSize(sha256) == size)
        {
            return;
        }

        var temp = TempPath("objects");
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long written = 0;
            using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                var buffer = new byte[1 << 16];
                foreach (var part in partFiles)
                {
                    using var input = File.OpenRead(part);
                    int read;
                    while ((read = input.Read(buffer)) > 0)
                    {
                        hash.AppendData(buffer, 0, read);
                        output.Write(buffer, 0, read);
                        written += read;
                    }
                }

                output.Flush(flushToDisk: true);
            }

            var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
            if (written != size || actual != sha256)
            {
                throw HubException.BadRequest($"assembled object does not match: {written} bytes hashing to {actual}, expected {size} bytes with sha256 {sha256}");
            }

            MoveIntoPlace(temp, LfsPath(sha256));
        }
        finally
        {
            TryDelete(temp);
        }
    }

    public string StoreBlob(byte[] content)
    {
        var sha1 = GitObjects.BlobSha1(content);
        var path = BlobPath(sha1);
        if (!File.Exists(path))
        {
            var temp = TempPath("objects");
            try
            {
                WriteFileDurably(temp, content);
                MoveIntoPlace(temp, path);
            }
            finally
            {
                TryDelete(temp);
            }
        }

        return sha1;
    }

    public byte[] ReadBlob(string sha1) => File.ReadAllBytes(BlobPath(sha1));

    public string BlobPath(string sha1) => Path.Combine(Root, "objects", "blobs", sha1[..2], sha1);

    public string UploadDir(string uploadId) => Path.Combine(Root, "uploads", uploadId);

    // ---- files ------------------------------------------------------------------------------------------------

    public void PersistCommit(RepoId id, CommitRecord commit) =>
        WriteAtomic(Path.Combine(RepoDir(id), "commits", commit.Oid + ".json"), JsonSerializer.SerializeToUtf8Bytes(commit, ServerJsonContext.Default.CommitRecord));

    private void WriteRef(RepoId id, string name, string oid) => WriteAtomic(Path.Combine(RepoDir(id), "refs", name), Encoding.ASCII.GetBytes(oid + "\n"));

    private string RepoDir(RepoId id) => Path.Combine(Root, "repos", id.ApiSegment, id.Namespace, id.Name);

    private SemaphoreSlim Lock(RepoId id) => _locks.GetOrAdd(id.ToString(), _ => new SemaphoreSlim(1, 1));

    /// <summary>Maps a revision to a ref file name under refs/, or null if it cannot be a ref.</summary>
    private static string? RefName(string revision)
    {
        if (revision.StartsWith("refs/pr/", StringComparison.Ordinal))
        {
            return int.TryParse(revision["refs/pr/".Length..], out var n) && n > 0 ? $"pr/{n}" : null;
        }

        var branch = revision.StartsWith("refs/heads/", StringComparison.Ordinal) ? revision["refs/heads/".Length..] : revision;
        return BranchName().IsMatch(branch) ? $"heads/{branch}" : null;
    }

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.\-]*(/[A-Za-z0-9_][A-Za-z0-9_.\-]*)*$")]
    private static partial Regex BranchName();

    private string TempPath(string area) => Path.Combine(Root, area, $".tmp-{Guid.NewGuid():N}");

    private void WriteAtomic(string path, byte[] bytes)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = Path.Combine(Path.GetDirectoryName(path)!, $".tmp-{Guid.NewGuid():N}");
        try
        {
            WriteFileDurably(temp, bytes);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            TryDelete(temp);
        }
    }

    private static void WriteFileDurably(string path, byte[] bytes)
    {
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        file.Write(bytes);
        file.Flush(flushToDisk: true);
    }

    private static void MoveIntoPlace(string temp, string target)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Move(temp, target, overwrite: true);
    }

    private static void TryDelete(string path)
    {
        try
        {
            if (File.Exists(path))
            {
                File.Delete(path);
            }
        }
        catch (IOException)
        {
        }
    }

    private void CleanTemporaryFiles()
    {
        foreach (var file in Directory.EnumerateFiles(Root, ".tmp-*", SearchOption.AllDirectories))
        {
            TryDelete(file);
        }

        // Multipart uploads nobody completed within a day (their signed URLs expired long ago).
        foreach (var upload in Directory.EnumerateDirectories(Path.Combine(Root, "uploads")))
        {
            if (Directory.GetLastWriteTimeUtc(upload) < DateTime.UtcNow.AddDays(-1))
            {
                try
                {
                    Directory.Delete(upload, recursive: true);
                }
                catch (IOException)
                {
                }
            }
        }
    }
}
