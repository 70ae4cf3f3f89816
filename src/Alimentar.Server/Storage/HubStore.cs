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

    /// <summary>Unreferenced objects younger than this survive garbage collection (they may await their commit).</summary>
    public TimeSpan GarbageGracePeriod { get; init; } = TimeSpan.FromHours(1);

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
        if (!File.Exists(refFile) && refName.StartsWith("heads/", StringComparison.Ordinal) && !revision.StartsWith("refs/heads/", StringComparison.Ordinal))
        {
            // A bare name is a branch first, then a tag, as git resolves it.
            refFile = Path.Combine(RepoDir(id), "refs", "tags", refName["heads/".Length..]);
        }

        return File.Exists(refFile) ? ReadCommit(id, File.ReadAllText(refFile).Trim()) : null;
    }

    /// <summary>The refs of one kind (<c>heads</c>, <c>tags</c> or <c>pr</c>): name and commit.</summary>
    public IReadOnlyList<(string Name, string Oid)> Refs(RepoId id, string kind)
    {
        var folder = Path.Combine(RepoDir(id), "refs", kind);
        return Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .Where(f => !Path.GetFileName(f).StartsWith('.'))
                .Select(f => (Path.GetRelativePath(folder, f).Replace('\\', '/'), File.ReadAllText(f).Trim()))
                .OrderBy(r => r.Item1, StringComparer.Ordinal)
                .ToList()
            : [];
    }

    /// <summary>Creates tag <paramref name="tag"/> at <paramref name="revision"/>; 409 when it exists.</summary>
    public async Task<CommitRecord> CreateTagAsync(RepoId id, string tag, string revision)
    {
        var gate = Lock(id);
        await gate.WaitAsync();
        try
        {
            var name = tag.StartsWith("refs/tags/", StringComparison.Ordinal) ? tag["refs/tags/".Length..] : tag;
            if (!BranchName().IsMatch(name) || RepoPaths.IsCommitId(name))
            {
                throw HubException.BadRequest($"invalid tag name '{tag}'");
            }

            if (File.Exists(Path.Combine(RepoDir(id), "refs", "tags", name)))
            {
                throw new HubException(409, $"Tag {name} already exists");
            }

            CheckRefNameFree(id, "tags/" + name);

            var target = Resolve(id, revision) ?? throw HubException.RevisionNotFound(revision);
            WriteRef(id, "tags/" + name, target.Oid);
            return target;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Deletes a branch (not <c>main</c>) or a tag; 404 when there is none.</summary>
    public async Task DeleteRefAsync(RepoId id, string kind, string name)
    {
        var gate = Lock(id);
        await gate.WaitAsync();
        try
        {
            var prefix = kind == "tags" ? "refs/tags/" : "refs/heads/";
            name = name.StartsWith(prefix, StringComparison.Ordinal) ? name[prefix.Length..] : name;
            if (!BranchName().IsMatch(name))
            {
                throw HubException.BadRequest($"invalid {(kind == "tags" ? "tag" : "branch")} name '{name}'");
            }

            if (kind == "heads" && name == "main")
            {
                throw new HubException(403, "The main branch cannot be deleted");
            }

            var file = Path.Combine(RepoDir(id), "refs", kind, name);
            if (!File.Exists(file))
            {
                throw new HubException(404, $"{(kind == "tags" ? "Tag" : "Branch")} not found: {name}", HubErrorCodes.RevisionNotFound);
            }

            File.Delete(file);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Changes a repo's visibility.</summary>
    public async Task<RepoRecord> UpdateSettingsAsync(RepoId id, bool isPrivate)
    {
        var gate = Lock(id);
        await gate.WaitAsync();
        try
        {
            var record = (GetRepo(id) ?? throw HubException.RepoNotFound(id.FullName)) with { Private = isPrivate };
            WriteAtomic(Path.Combine(RepoDir(id), "repo.json"), JsonSerializer.SerializeToUtf8Bytes(record, ServerJsonContext.Default.RepoRecord));
            return record;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Renames a repo (one directory rename: it is at the old name or the new one, never both or neither).</summary>
    public async Task MoveRepoAsync(RepoId from, RepoId to)
    {
        var (first, second) = string.CompareOrdinal(from.ToString(), to.ToString()) < 0 ? (Lock(from), Lock(to)) : (Lock(to), Lock(from));
        await first.WaitAsync();
        await second.WaitAsync();
        try
        {
            var record = GetRepo(from) ?? throw HubException.RepoNotFound(from.FullName);
            if (GetRepo(to) is not null)
            {
                throw new HubException(409, $"A repo named {to.FullName} already exists");
            }

            Directory.CreateDirectory(Path.GetDirectoryName(RepoDir(to))!);
            Directory.Move(RepoDir(from), RepoDir(to));
            WriteAtomic(Path.Combine(RepoDir(to), "repo.json"), JsonSerializer.SerializeToUtf8Bytes(record with { Id = to.FullName }, ServerJsonContext.Default.RepoRecord));
        }
        finally
        {
            second.Release();
            first.Release();
        }
    }

    /// <summary>
    /// Deletes a repo: its folder (refs, commit records, settings) is renamed into <c>trash/</c> in one step, so after a
    /// crash the repo is either fully there or fully gone (the trash is emptied at start); then objects no other repo's
    /// commit refers to are collected.
    /// </summary>
    public async Task DeleteRepoAsync(RepoId id)
    {
        var gate = Lock(id);
        await gate.WaitAsync();
        string trash;
        try
        {
            if (GetRepo(id) is null)
            {
                throw HubException.RepoNotFound(id.FullName);
            }

            trash = Path.Combine(Root, "trash", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path.Combine(Root, "trash"));
            Directory.Move(RepoDir(id), trash);
        }
        finally
        {
            gate.Release();
        }

        Directory.Delete(trash, recursive: true);
        CollectGarbage();
    }

    /// <summary>
    /// Removes stored objects (LFS objects and blobs) that no commit of any repo refers to. Objects younger than an hour
    /// are kept: they may belong to an upload whose commit has not arrived yet.
    /// </summary>
    public void CollectGarbage()
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        var repos = Path.Combine(Root, "repos");
        foreach (var commitFile in Directory.EnumerateFiles(repos, "*.json", SearchOption.AllDirectories).Where(f => Path.GetFileName(Path.GetDirectoryName(f)) == "commits"))
        {
            var commit = JsonSerializer.Deserialize(File.ReadAllBytes(commitFile), ServerJsonContext.Default.CommitRecord);
            foreach (var entry in commit?.Files.Values.AsEnumerable() ?? [])
            {
                used.Add(entry.Oid);
            }
        }

        var cutoff = DateTime.UtcNow - GarbageGracePeriod;
        foreach (var area in new[] { Path.Combine(Root, "objects", "lfs"), Path.Combine(Root, "objects", "blobs") })
        {
            foreach (var file in Directory.EnumerateFiles(area, "*", SearchOption.AllDirectories))
            {
                if (!used.Contains(Path.GetFileName(file)) && !Path.GetFileName(file).StartsWith('.') && File.GetLastWriteTimeUtc(file) <= cutoff)
                {
                    TryDelete(file);
                }
            }
        }
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

            CheckRefNameFree(id, refName);

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
            if (!createPr && (RefName(revision) is not { } branchRef || !(branchRef.StartsWith("heads/", StringComparison.Ordinal) || branchRef.StartsWith("pr/", StringComparison.Ordinal)) || !File.Exists(Path.Combine(RepoDir(id), "refs", branchRef))))
            {
                // A commit id or a tag can be read but not moved: committing to one would invent a branch by that name.
                throw HubException.BadRequest($"'{revision}' is not a branch: commit to a branch (or open a pull request with create_pr=1)");
            }

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
                            throw new HubException(404, $"A file with this name doesn't exist: {file.Path}", HubErrorCodes.EntryNotFound);
                        }

                        break;
                }
            }

            // A file and a folder of one name cannot both exist in a checkout.
            foreach (var path in files.Keys)
            {
                for (var slash = path.IndexOf('/', StringComparison.Ordinal); slash > 0; slash = path.IndexOf('/', slash + 1))
                {
                    if (files.ContainsKey(path[..slash]))
                    {
                        throw new HubException(409, $"'{path[..slash]}' would be both a file and a folder (of '{path}')");
                    }
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

            foreach (var lfs in changes.OfType<PutLfsFile>())
            {
                Hold(id, lfs.Sha256);
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
            // Already stored: the bytes are still checked, so a reused upload URL with other content is told so.
            using var check = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var chunk = new byte[1 << 16];
            long seen = 0;
            int n;
            while ((n = await body.ReadAsync(chunk, cancel)) > 0)
            {
                seen += n;
                check.AppendData(chunk, 0, n);
            }

            var got = Convert.ToHexStringLower(check.GetHashAndReset());
            if (seen != size || got != sha256)
            {
                throw HubException.BadRequest($"sha256 mismatch: body hashes to {got} ({seen} bytes), expected {sha256} ({size} bytes); the stored object is unchanged");
            }

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
        // Already stored: the parts are still hashed, as uploading them is the proof that the client has the bytes.
        var stored = ObjectSize(sha256) == size;
        var temp = TempPath("objects");
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long written = 0;
            using (var output = stored ? Stream.Null : new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
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

                (output as FileStream)?.Flush(flushToDisk: true);
            }

            var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
            if (written != size || actual != sha256)
            {
                throw HubException.BadRequest($"assembled object does not match: {written} bytes hashing to {actual}, expected {size} bytes with sha256 {sha256}");
            }

            if (!stored)
            {
                MoveIntoPlace(temp, LfsPath(sha256));
            }
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

    // As git refuses it: a ref cannot be both a name and a folder of names ("feat" and "feat/x"), which a file
    // system cannot hold either (found by fuzzing whole requests: a 500 from the file system).
    private void CheckRefNameFree(RepoId id, string refName)
    {
        var refs = Path.Combine(RepoDir(id), "refs");
        var kind = refName[..refName.IndexOf('/', StringComparison.Ordinal)];
        var what = kind == "tags" ? "tag" : "branch";
        var name = refName[(kind.Length + 1)..];
        for (var slash = name.IndexOf('/', StringComparison.Ordinal); slash > 0; slash = name.IndexOf('/', slash + 1))
        {
            if (File.Exists(Path.Combine(refs, kind, name[..slash])))
            {
                throw new HubException(409, $"cannot create {what} '{name}': {what} '{name[..slash]}' exists");
            }
        }

        if (Directory.Exists(Path.Combine(refs, refName)))
        {
            throw new HubException(409, $"cannot create {what} '{name}': other {what} names start with '{name}/'");
        }
    }

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
        // Repos whose deletion was interrupted: already gone from repos/, so finishing the removal loses nothing.
        var trash = Path.Combine(Root, "trash");
        if (Directory.Exists(trash))
        {
            foreach (var deleted in Directory.EnumerateDirectories(trash))
            {
                try
                {
                    Directory.Delete(deleted, recursive: true);
                }
                catch (IOException)
                {
                }
            }
        }

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
