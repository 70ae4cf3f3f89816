using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Alimentar.Hub.Repos;
using Alimentar.Hub.Security;

namespace Alimentar.Hub.Client;

/// <summary>
/// A client of the Hub's HTTP API (or any server that speaks it): repos, preupload, the LFS batch API with
/// basic and multipart transfers, and the NDJSON commit API. Files are streamed; memory stays bounded by the
/// copy buffers of the parts in flight.
/// </summary>
public sealed class HubClient : IDisposable
{
    private const string LfsMediaType = "application/vnd.git-lfs+json";

    private readonly HttpClient _http;
    private readonly RetryPolicy _retry;

    public HubClient(HubClientOptions options)
    {
        Options = options with { Endpoint = options.Endpoint.TrimEnd('/') };
        TokenRedactor.Register(options.Token);
        _http = new HttpClient(options.Handler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AutomaticDecompression = DecompressionMethods.None }, disposeHandler: options.Handler is null)
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("alimentar/1.0");
        _retry = new RetryPolicy(Options, Options.Log);
    }

    public HubClientOptions Options { get; }

    public IProgress<TransferProgress>? Progress { get; set; }

    public void Dispose() => _http.Dispose();

    // ---- repos ----------------------------------------------------------------------------------------------

    /// <summary>Creates the repo; an existing repo is fine. Returns true when it was created.</summary>
    public async Task<bool> CreateRepoAsync(RepoId repo, bool isPrivate, CancellationToken cancel = default)
    {
        using var response = await SendAsync(() => Json_(HttpMethod.Post, "/api/repos/create", new JsonObject
        {
            ["name"] = repo.Name,
            ["organization"] = repo.Namespace,
            ["type"] = repo.Type.ToString().ToLowerInvariant(),
            ["private"] = isPrivate,
            ["visibility"] = isPrivate ? "private" : "public",
        }), retry: true, cancel);
        if (response.StatusCode == HttpStatusCode.Conflict)
        {
            return false;
        }

        await EnsureAsync(response, $"create repo {repo}");
        return true;
    }

    /// <summary>Creates a branch from the head of <paramref name="from"/>; an existing branch is fine.</summary>
    public async Task CreateBranchAsync(RepoId repo, string branch, string from = "main", CancellationToken cancel = default)
    {
        using var response = await SendAsync(() => Json_(HttpMethod.Post, $"/api/{repo.ApiSegment}/{repo.FullName}/branch/{Uri.EscapeDataString(branch)}", new JsonObject { ["startingPoint"] = from }), retry: true, cancel);
        if (response.StatusCode != HttpStatusCode.Conflict)
        {
            await EnsureAsync(response, $"create branch {branch}");
        }
    }

    /// <summary>The commit at <paramref name="revision"/> and its files, or null when the repo does not exist.</summary>
    public async Task<RepoSnapshot?> GetRepoAsync(RepoId repo, string revision = "main", CancellationToken cancel = default)
    {
        using var response = await SendAsync(() => Request(HttpMethod.Get, $"/api/{repo.ApiSegment}/{repo.FullName}/revision/{Uri.EscapeDataString(revision)}"), retry: true, cancel);
        if (response.StatusCode == HttpStatusCode.NotFound && ErrorCode(response) is "RepoNotFound" or "RevisionNotFound" or null)
        {
            return null;
        }

        await EnsureAsync(response, $"read {repo}@{revision}");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancel));
        var root = json.RootElement;
        var files = root.TryGetProperty("siblings", out var siblings) ? siblings.EnumerateArray().Select(s => s.GetProperty("rfilename").GetString()!).ToList() : [];
        return new RepoSnapshot(root.GetProperty("sha").GetString()!, files, root.TryGetProperty("private", out var p) && p.ValueKind == JsonValueKind.True);
    }

    /// <summary>
    /// Asks the server to validate a README's metadata (<c>POST /api/validate-yaml</c>). Returns its error
    /// messages; an empty list when it accepts the card or has no such endpoint.
    /// </summary>
    public async Task<IReadOnlyList<string>> ValidateYamlAsync(string content, RepoType type, CancellationToken cancel = default)
    {
        using var response = await SendAsync(() => Json_(HttpMethod.Post, "/api/validate-yaml", new JsonObject { ["content"] = content, ["repoType"] = type.ToString().ToLowerInvariant() }), retry: true, cancel);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed)
        {
            return [];
        }

        if (response.StatusCode == HttpStatusCode.BadRequest)
        {
            try
            {
                using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancel));
                if (json.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
                {
                    return errors.EnumerateArray().Select(e => e.TryGetProperty("message", out var m) ? m.GetString() ?? e.ToString() : e.ToString()).ToList();
                }
            }
            catch (JsonException)
            {
            }
        }

        await EnsureAsync(response, "validate README.md metadata");
        return [];
    }

    /// <summary>The newest commits of <paramref name="revision"/>, newest first.</summary>
    public async Task<IReadOnlyList<CommitSummary>> ListCommitsAsync(RepoId repo, string revision = "main", int limit = 100, CancellationToken cancel = default)
    {
        var result = new List<CommitSummary>();
        string? url = $"{Options.Endpoint}/api/{repo.ApiSegment}/{repo.FullName}/commits/{Uri.EscapeDataString(revision)}?limit={Math.Min(limit, 100)}";
        while (url is not null && result.Count < limit)
        {
            var page = url;
            using var response = await SendAsync(() => Request(HttpMethod.Get, page, absolute: true), retry: true, cancel);
            await EnsureAsync(response, $"list commits of {repo}");
            using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancel));
            foreach (var item in json.RootElement.EnumerateArray())
            {
                result.Add(new CommitSummary(item.GetProperty("id").GetString()!, item.GetProperty("title").GetString() ?? string.Empty, item.TryGetProperty("date", out var d) ? d.GetDateTimeOffset() : default));
            }

            url = NextLink(response);
        }

        return result.Take(limit).ToList();
    }

    /// <summary>Downloads a file to <paramref name="destination"/> (whole file, streamed).</summary>
    public async Task DownloadAsync(RepoId repo, string path, Stream destination, string revision = "main", CancellationToken cancel = default)
    {
        using var response = await SendAsync(() => Request(HttpMethod.Get, $"/{repo.UrlPrefix}{repo.FullName}/resolve/{Uri.EscapeDataString(revision)}/{EscapePath(path)}"), retry: true, cancel, HttpCompletionOption.ResponseHeadersRead);
        await EnsureAsync(response, $"download {path}");
        await response.Content.CopyToAsync(destination, cancel);
    }

    /// <summary>Every file of <paramref name="revision"/> (a commit id pins it), recursively, with sizes and object ids.</summary>
    public async Task<IReadOnlyList<RepoFileEntry>> ListFilesAsync(RepoId repo, string revision, CancellationToken cancel = default)
    {
        var result = new List<RepoFileEntry>();
        string? url = $"{Options.Endpoint}/api/{repo.ApiSegment}/{repo.FullName}/tree/{Uri.EscapeDataString(revision)}?recursive=true";
        while (url is not null)
        {
            var page = url;
            using var response = await SendAsync(() => Request(HttpMethod.Get, page, absolute: true), retry: true, cancel);
            await EnsureAsync(response, $"list the files of {repo}@{revision}");
            using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancel));
            foreach (var item in json.RootElement.EnumerateArray())
            {
                if (item.GetProperty("type").GetString() != "file")
                {
                    continue;
                }

                var lfs = item.TryGetProperty("lfs", out var l) && l.ValueKind == JsonValueKind.Object ? l.GetProperty("oid").GetString() : null;
                result.Add(new RepoFileEntry(item.GetProperty("path").GetString()!, item.GetProperty("size").GetInt64(), item.GetProperty("oid").GetString()!, lfs));
            }

            url = NextLink(response);
        }

        return result;
    }

    /// <summary>
    /// Opens a file of a pinned commit from byte <paramref name="offset"/> (a <c>Range</c> request when not 0); the
    /// caller reads and disposes the response. Failures before the body are retried; a body cut short is the caller's
    /// to resume.
    /// </summary>
    internal async Task<HttpResponseMessage> OpenFileAsync(RepoId repo, string commit, string path, long offset, CancellationToken cancel)
    {
        var response = await SendAsync(
            () =>
            {
                var request = Request(HttpMethod.Get, $"/{repo.UrlPrefix}{repo.FullName}/resolve/{Uri.EscapeDataString(commit)}/{EscapePath(path)}");
                if (offset > 0)
                {
                    request.Headers.Range = new RangeHeaderValue(offset, null);
                }

                return request;
            },
            retry: true,
            cancel,
            HttpCompletionOption.ResponseHeadersRead);
        try
        {
            await EnsureAsync(response, $"download {path}");
            if (offset > 0 && response.StatusCode != HttpStatusCode.PartialContent)
            {
                throw new HubApiException($"download {path}: the server ignored the Range request (status {(int)response.StatusCode})");
            }

            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>The delay before retry <paramref name="attempt"/> (1-based) of a download cut short, as for other requests.</summary>
    internal TimeSpan RetryDelay(int attempt) => TimeSpan.FromMilliseconds(Math.Min(Options.MaxDelay.TotalMilliseconds, Options.BaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1)));

    // ---- commits ----------------------------------------------------------------------------------------------

    /// <summary>
    /// Turns a list of operations into one commit: preupload, hash and upload LFS objects the server lacks, then
    /// one NDJSON commit with <c>parentCommit</c> set. Unchanged files are left out; with nothing left it is a no-op.
    /// </summary>
    public async Task<CommitResult> CommitAsync(CommitRequest request, CancellationToken cancel = default)
    {
        var repo = request.Repo;
        if (RepoPaths.ValidateRevision(request.Revision) is { } revisionProblem)
        {
            throw new ArgumentException($"invalid revision '{request.Revision}': {revisionProblem}");
        }

        if (string.IsNullOrWhiteSpace(request.Message))
        {
            throw new ArgumentException("the commit message must not be empty");
        }

        var head = await GetRepoAsync(repo, request.Revision, cancel) ?? throw new HubApiException($"repository {repo} not found", HttpStatusCode.NotFound, "RepoNotFound");
        var parent = request.ParentCommit ?? head.Sha;
        var adds = request.Operations.OfType<AddFileOperation>().GroupBy(a => a.PathInRepo).Select(g => g.Last()).ToList();
        var plans = await PlanUploadsAsync(repo, request.Revision, request.CreatePullRequest, adds, cancel);

        var outcomes = new List<FileOutcome>();
        var lfsToUpload = new List<UploadPlan>();
        foreach (var plan in plans)
        {
            if (plan.RemoteOid is not null && plan.RemoteOid == (plan.Lfs ? plan.Sha256 : plan.GitOid))
            {
                outcomes.Add(new FileOutcome(plan.Operation.PathInRepo, plan.Lfs ? "lfs" : "regular", plan.Size, plan.Sha256, "unchanged"));
                plan.Skip = true;
            }
            else if (plan.Lfs)
            {
                lfsToUpload.Add(plan);
            }
        }

        var deletes = request.Operations.Where(o => o is DeleteFileOperation or DeleteFolderOperation).ToList();
        if (plans.All(p => p.Skip) && deletes.Count == 0)
        {
            return new CommitResult(head.Sha, CommitUrl(repo, head.Sha), null, NoOp: true, outcomes);
        }

        foreach (var chunk in lfsToUpload.Chunk(100))
        {
            await UploadLfsAsync(repo, request.Revision, request.CreatePullRequest, chunk, cancel);
        }

        outcomes.AddRange(plans.Where(p => !p.Skip).Select(p => new FileOutcome(p.Operation.PathInRepo, p.Lfs ? "lfs" : "regular", p.Size, p.Sha256, p.Lfs ? (p.AlreadyStored ? "already-stored" : "uploaded") : "inline")));
        outcomes.AddRange(deletes.Select(d => new FileOutcome(d.PathInRepo, "delete", 0, null, "deleted")));
        var (oid, url, pr) = await PostCommitAsync(request, parent, plans.Where(p => !p.Skip).ToList(), deletes, cancel);
        return new CommitResult(oid, url, pr, NoOp: false, outcomes);
    }

    /// <summary>
    /// Uploads the LFS objects of <paramref name="adds"/> ahead of the commit that will reference them, as
    /// huggingface_hub's <c>preupload_lfs_files</c>: a commit made later with the same content finds them stored and
    /// sends only the commit. Regular (inline) files are only planned. Returns each file's outcome with its SHA-256
    /// (for LFS files), to pass to the commit in <see cref="FileSource.Sha256"/>.
    /// </summary>
    public async Task<IReadOnlyList<FileOutcome>> PreuploadAsync(RepoId repo, IReadOnlyList<AddFileOperation> adds, string revision = "main", CancellationToken cancel = default)
    {
        var plans = await PlanUploadsAsync(repo, revision, false, adds, cancel);
        foreach (var chunk in plans.Where(p => p.Lfs && !p.Skip).Chunk(100))
        {
            await UploadLfsAsync(repo, revision, false, chunk, cancel);
        }

        return plans.Select(p => new FileOutcome(p.Operation.PathInRepo, p.Lfs ? "lfs" : "regular", p.Size, p.Sha256, p.Lfs ? (p.AlreadyStored ? "already-stored" : "uploaded") : "planned")).ToList();
    }

    private async Task<List<UploadPlan>> PlanUploadsAsync(RepoId repo, string revision, bool createPr, IReadOnlyList<AddFileOperation> adds, CancellationToken cancel)
    {
        var plans = new List<UploadPlan>();
        foreach (var add in adds)
        {
            var sample = new byte[Math.Min(512, add.Source.Length)];
            await using (var stream = add.Source.Open())
            {
                await stream.ReadExactlyAsync(sample, cancel);
            }

            plans.Add(new UploadPlan(add, add.Source.Length, sample));
        }

        foreach (var chunk in plans.Chunk(100))
        {
            var query = createPr ? "?create_pr=1" : string.Empty;
            using var response = await SendAsync(() => Json_(HttpMethod.Post, $"/api/{repo.ApiSegment}/{repo.FullName}/preupload/{Uri.EscapeDataString(revision)}{query}", new JsonObject
            {
                ["files"] = new JsonArray(chunk.Select(p => (JsonNode)new JsonObject { ["path"] = p.Operation.PathInRepo, ["sample"] = Convert.ToBase64String(p.Sample), ["size"] = p.Size }).ToArray()),
            }), retry: true, cancel);
            await EnsureAsync(response, "preupload");
            using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancel));
            var modes = json.RootElement.GetProperty("files").EnumerateArray().ToDictionary(f => f.GetProperty("path").GetString()!, f => f);
            foreach (var plan in chunk)
            {
                if (!modes.TryGetValue(plan.Operation.PathInRepo, out var mode))
                {
                    throw new HubApiException($"preupload did not answer for '{plan.Operation.PathInRepo}'");
                }

                // Empty files are always regular: object stores refuse empty LFS objects.
                plan.Lfs = plan.Size > 0 && mode.GetProperty("uploadMode").GetString() == "lfs";
                plan.RemoteOid = mode.TryGetProperty("oid", out var oid) && oid.ValueKind == JsonValueKind.String ? oid.GetString() : null;
                if (mode.TryGetProperty("shouldIgnore", out var ignore) && ignore.ValueKind == JsonValueKind.True)
                {
                    plan.Skip = true;
                }
            }
        }

        foreach (var plan in plans.Where(p => !p.Skip))
        {
            Report(plan.Operation.PathInRepo, 0, plan.Size, "hashing");
            await using var stream = plan.Operation.Source.Open();
            if (plan.Lfs && plan.Operation.Source.Sha256 is { } known)
            {
                plan.Sha256 = known;
            }
            else if (plan.Lfs)
            {
                plan.Sha256 = await HashAsync(stream, HashAlgorithmName.SHA256, plan.Operation.PathInRepo, plan.Size, null, cancel);
            }
            else
            {
                plan.GitOid = await HashAsync(stream, HashAlgorithmName.SHA1, plan.Operation.PathInRepo, plan.Size, Encoding.ASCII.GetBytes($"blob {plan.Size}\0"), cancel);
            }
        }

        return plans;
    }

    private async Task<string> HashAsync(Stream stream, HashAlgorithmName algorithm, string path, long total, byte[]? prefix, CancellationToken cancel)
    {
        using var hash = IncrementalHash.CreateHash(algorithm);
        if (prefix is not null)
        {
            hash.AppendData(prefix);
        }

        var buffer = new byte[1 << 20];
        long done = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer, cancel)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            done += read;
            Report(path, done, total, "hashing");
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private async Task UploadLfsAsync(RepoId repo, string revision, bool createPr, IReadOnlyList<UploadPlan> plans, CancellationToken cancel)
    {
        var distinct = plans.GroupBy(p => p.Sha256!).ToDictionary(g => g.Key, g => g.ToList());
        using var response = await SendAsync(() =>
        {
            var request = Json_(HttpMethod.Post, $"/{repo.UrlPrefix}{repo.FullName}.git/info/lfs/objects/batch", new JsonObject
            {
                ["operation"] = "upload",
                ["transfers"] = new JsonArray("basic", "multipart"),
                ["hash_algo"] = "sha256",
                ["ref"] = createPr ? null : new JsonObject { ["name"] = revision },
                ["objects"] = new JsonArray(distinct.Select(d => (JsonNode)new JsonObject { ["oid"] = d.Key, ["size"] = d.Value[0].Size }).ToArray()),
            });
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(LfsMediaType));
            request.Content!.Headers.ContentType = new MediaTypeHeaderValue(LfsMediaType);
            return request;
        }, retry: true, cancel);
        await EnsureAsync(response, "LFS batch");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancel));
        var errors = new List<string>();
        var uploads = new List<Func<Task>>();
        foreach (var item in json.RootElement.GetProperty("objects").EnumerateArray())
        {
            var oid = item.GetProperty("oid").GetString()!;
            if (!distinct.TryGetValue(oid, out var group))
            {
                throw new HubApiException($"LFS batch answered for an object that was not requested ({oid})");
            }

            if (item.TryGetProperty("error", out var error))
            {
                errors.Add($"{group[0].Operation.PathInRepo}: {error.GetProperty("code")} {error.GetProperty("message").GetString()}");
                continue;
            }

            if (!item.TryGetProperty("actions", out var actions) || !actions.TryGetProperty("upload", out var upload))
            {
                group.ForEach(p => p.AlreadyStored = true);
                Report(group[0].Operation.PathInRepo, group[0].Size, group[0].Size, "already stored");
                continue;
            }

            var plan = group[0];
            var verify = actions.TryGetProperty("verify", out var v) ? v.GetProperty("href").GetString() : null;
            var href = upload.GetProperty("href").GetString()!;
            var header = upload.TryGetProperty("header", out var h) && h.ValueKind == JsonValueKind.Object ? h.Clone() : default;
            uploads.Add(async () =>
            {
                if (header.ValueKind == JsonValueKind.Object && header.TryGetProperty("chunk_size", out var chunk))
                {
                    await UploadMultipartAsync(plan, href, header, ParseChunk(chunk), cancel);
                }
                else
                {
                    await UploadBasicAsync(plan, href, cancel);
                }

                if (verify is not null)
                {
                    using var verified = await SendAsync(() => Json_(HttpMethod.Post, verify, new JsonObject { ["oid"] = plan.Sha256, ["size"] = plan.Size }, absolute: true), retry: true, cancel);
                    await EnsureAsync(verified, $"verify {plan.Operation.PathInRepo}");
                }
            });
        }

        if (errors.Count > 0)
        {
            throw new HubApiException("LFS batch API returned errors: " + string.Join("; ", errors));
        }

        foreach (var upload in uploads)
        {
            await upload();
        }
    }

    private static long ParseChunk(JsonElement chunk) =>
        chunk.ValueKind == JsonValueKind.Number ? chunk.GetInt64() : long.Parse(chunk.GetString()!, CultureInfo.InvariantCulture);

    private async Task UploadBasicAsync(UploadPlan plan, string href, CancellationToken cancel)
    {
        var progress = new ProgressCounter(this, plan.Operation.PathInRepo, plan.Size);
        using var response = await SendAsync(() =>
        {
            progress.Reset();
            // No Authorization and no header map: the URL carries its own signature, as with S3.
            var request = new HttpRequestMessage(HttpMethod.Put, href)
            {
                Content = new SliceContent(plan.Operation.Source, 0, plan.Size, progress),
            };
            return request;
        }, retry: true, cancel);
        await EnsureAsync(response, $"upload {plan.Operation.PathInRepo}");
    }

    private async Task UploadMultipartAsync(UploadPlan plan, string completionHref, JsonElement header, long chunkSize, CancellationToken cancel)
    {
        var parts = header.EnumerateObject()
            .Where(p => p.Name.All(char.IsAsciiDigit))
            .Select(p => (Number: int.Parse(p.Name, CultureInfo.InvariantCulture), Url: p.Value.GetString()!))
            .OrderBy(p => p.Number)
            .ToList();
        var expected = (int)((plan.Size + chunkSize - 1) / chunkSize);
        if (parts.Count != expected || parts.Select((p, i) => p.Number == i + 1).Any(ok => !ok))
        {
            throw new HubApiException($"multipart upload of {plan.Operation.PathInRepo}: the server sent {parts.Count} part URLs, {expected} expected");
        }

        var progress = new ProgressCounter(this, plan.Operation.PathInRepo, plan.Size);
        var etags = new string[parts.Count];
        using var gate = new SemaphoreSlim(Math.Max(1, Options.Parallelism));
        await Task.WhenAll(parts.Select(async part =>
        {
            await gate.WaitAsync(cancel);
            try
            {
                var offset = (part.Number - 1) * chunkSize;
                var length = Math.Min(chunkSize, plan.Size - offset);
                var partProgress = progress.Part();
                using var response = await SendAsync(() =>
                {
                    partProgress.Reset();
                    return new HttpRequestMessage(HttpMethod.Put, part.Url) { Content = new SliceContent(plan.Operation.Source, offset, length, partProgress) };
                }, retry: true, cancel);
                await EnsureAsync(response, $"upload part {part.Number} of {plan.Operation.PathInRepo}");
                etags[part.Number - 1] = response.Headers.ETag?.ToString()
                    ?? (response.Headers.TryGetValues("ETag", out var values) ? values.First() : null)
                    ?? throw new HubApiException($"part {part.Number} of {plan.Operation.PathInRepo}: the storage answered without an ETag");
            }
            finally
            {
                gate.Release();
            }
        }));

        using var completed = await SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, completionHref)
            {
                Content = JsonBody(new JsonObject
                {
                    ["oid"] = plan.Sha256,
                    ["parts"] = new JsonArray(etags.Select((etag, i) => (JsonNode)new JsonObject { ["partNumber"] = i + 1, ["etag"] = etag }).ToArray()),
                }, LfsMediaType),
            };
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(LfsMediaType));
            return request;
        }, retry: true, cancel);
        await EnsureAsync(completed, $"complete the upload of {plan.Operation.PathInRepo}");
    }

    /// <summary>
    /// Posts the commit. It is never blindly retried: after an ambiguous failure the branch head is read, and the
    /// commit is sent again only if it did not land.
    /// </summary>
    private async Task<(string Oid, string Url, string? PullRequest)> PostCommitAsync(CommitRequest request, string parent, IReadOnlyList<UploadPlan> files, IReadOnlyList<CommitOperation> deletes, CancellationToken cancel)
    {
        var repo = request.Repo;
        var query = request.CreatePullRequest ? "?create_pr=1" : string.Empty;
        var path = $"/api/{repo.ApiSegment}/{repo.FullName}/commit/{Uri.EscapeDataString(request.Revision)}{query}";
        for (var attempt = 1; ; attempt++)
        {
            HttpResponseMessage? response = null;
            Exception? failure = null;
            try
            {
                var message = Request(HttpMethod.Post, path);
                message.Content = new NdjsonCommitContent(request, parent, files, deletes);
                response = await _http.SendAsync(message, cancel);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException || (ex is TaskCanceledException && !cancel.IsCancellationRequested))
            {
                failure = ex;
            }

            using (response)
            {
                if (response is not null && response.IsSuccessStatusCode)
                {
                    using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancel));
                    var root = json.RootElement;
                    var oid = root.GetProperty("commitOid").GetString()!;
                    var pr = root.TryGetProperty("pullRequestUrl", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
                    return (oid, root.TryGetProperty("commitUrl", out var u) ? u.GetString()! : CommitUrl(repo, oid), pr);
                }

                var status = response?.StatusCode;
                var rejectedBeforeApplying = status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout;
                if (response is not null && !RetryPolicy.IsRetryable(response.StatusCode))
                {
                    throw await HubApiException.FromResponseAsync(response, "commit");
                }

                if (attempt >= Options.MaxAttempts)
                {
                    throw response is not null ? await HubApiException.FromResponseAsync(response, "commit") : new HubApiException($"commit failed: {failure!.Message}", null, null, failure);
                }

                var delay = (response is null ? null : RetryPolicy.ServerDelay(response, Options.MaxDelay)) ?? Backoff(attempt);
                Options.Log?.Invoke($"commit {(response is null ? $"failed ({failure!.GetType().Name})" : $"answered HTTP {(int)response.StatusCode}")}; checking whether it landed before retrying");
                await Task.Delay(delay, cancel);
                if (rejectedBeforeApplying)
                {
                    continue;
                }

                if (request.CreatePullRequest)
                {
                    throw new CommitStatusUnknownException($"the pull-request commit may or may not have been created ({(response is null ? failure!.Message : $"HTTP {(int)response.StatusCode}")}); not retried so that no second pull request is opened; check the repo's discussions");
                }

                var recent = await ListCommitsAsync(repo, request.Revision, 2, cancel);
                if (recent.Count > 0 && recent[0].Oid.StartsWith(parent, StringComparison.Ordinal))
                {
                    continue; // it did not land: safe to send again
                }

                if (recent.Count > 1 && recent[0].Title == request.Message && recent[1].Oid.StartsWith(parent, StringComparison.Ordinal))
                {
                    return (recent[0].Oid, CommitUrl(repo, recent[0].Oid), null);
                }

                throw new HubApiException($"commit outcome unclear and the branch moved to {recent.FirstOrDefault()?.Oid ?? "?"} (someone else committed); not retried");
            }
        }
    }

    private TimeSpan Backoff(int attempt)
    {
        var seconds = Math.Min(Options.MaxDelay.TotalSeconds, Options.BaseDelay.TotalSeconds * Math.Pow(2, attempt - 1));
        return TimeSpan.FromSeconds(seconds * (0.8 + (Random.Shared.NextDouble() * 0.4)));
    }

    // ---- plumbing ---------------------------------------------------------------------------------------------

    public string CommitUrl(RepoId repo, string oid) => $"{Options.Endpoint}/{repo.UrlPrefix}{repo.FullName}/commit/{oid}";

    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> factory, bool retry, CancellationToken cancel, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        // Each attempt gets its own deadline, so a stalled connection becomes a retryable timeout instead of a hang.
        async Task<HttpResponseMessage> Attempt(CancellationToken ct)
        {
            var request = factory();
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(request.Content is SliceContent ? Options.UploadTimeout : Options.RequestTimeout);
            return await _http.SendAsync(request, completion, deadline.Token);
        }

        try
        {
            return retry ? await _retry.ExecuteAsync(Attempt, cancel) : await Attempt(cancel);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException || (ex is TaskCanceledException && !cancel.IsCancellationRequested))
        {
            throw new HubApiException($"cannot reach {Options.Endpoint}: {ex.Message}", null, null, ex);
        }
    }

    private HttpRequestMessage Request(HttpMethod method, string pathOrUrl, bool absolute = false)
    {
        var request = new HttpRequestMessage(method, absolute ? pathOrUrl : Options.Endpoint + pathOrUrl);
        if (!string.IsNullOrEmpty(Options.Token))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Options.Token);
        }

        return request;
    }

    // Request bodies are JSON nodes: no reflection, so the client also runs ahead-of-time compiled.
    private HttpRequestMessage Json_(HttpMethod method, string pathOrUrl, JsonObject body, bool absolute = false)
    {
        var request = Request(method, pathOrUrl, absolute);
        request.Content = JsonBody(body, "application/json");
        return request;
    }

    private static StringContent JsonBody(JsonNode body, string mediaType) => new(body.ToJsonString(), Encoding.UTF8, mediaType);

    private static async Task EnsureAsync(HttpResponseMessage response, string what)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw await HubApiException.FromResponseAsync(response, what);
        }
    }

    private static string? ErrorCode(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Error-Code", out var values) ? values.FirstOrDefault() : null;

    private static string? NextLink(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var links))
        {
            return null;
        }

        foreach (var link in string.Join(",", links).Split(','))
        {
            if (link.Contains("rel=\"next\"", StringComparison.Ordinal))
            {
                var start = link.IndexOf('<', StringComparison.Ordinal);
                var end = link.IndexOf('>', StringComparison.Ordinal);
                return start >= 0 && end > start ? link[(start + 1)..end] : null;
            }
        }

        return null;
    }

    private static string EscapePath(string path) => string.Join('/', path.Split('/').Select(Uri.EscapeDataString));

    internal void Report(string path, long done, long total, string stage) => Progress?.Report(new TransferProgress(path, done, total, stage));

    private sealed class UploadPlan(AddFileOperation operation, long size, byte[] sample)
    {
        public AddFileOperation Operation { get; } = operation;

        public long Size { get; } = size;

        public byte[] Sample { get; } = sample;

        public bool Lfs { get; set; }

        public bool Skip { get; set; }

        public bool AlreadyStored { get; set; }

        public string? RemoteOid { get; set; }

        public string? Sha256 { get; set; }

        public string? GitOid { get; set; }
    }

    /// <summary>Counts bytes sent for one file across parallel parts; a retried part starts its count again.</summary>
    private sealed class ProgressCounter(HubClient client, string path, long total)
    {
        private long _done;
        private long _mine;

        public ProgressCounter Part() => new(client, path, total) { Parent = this };

        private ProgressCounter? Parent { get; init; }

        public void Reset()
        {
            Add(-Interlocked.Exchange(ref _mine, 0));
        }

        public void Add(long bytes)
        {
            if (Parent is not null)
            {
                Interlocked.Add(ref _mine, bytes);
                Parent.Add(bytes);
                return;
            }

            Interlocked.Add(ref _mine, bytes);
            var done = Interlocked.Add(ref _done, bytes);
            client.Report(path, done, total, "uploading");
        }
    }

    /// <summary>Streams [offset, offset+length) of a source, reopening it for every attempt.</summary>
    private sealed class SliceContent : HttpContent
    {
        private readonly FileSource _source;
        private readonly long _offset;
        private readonly long _length;
        private readonly ProgressCounter _progress;

        public SliceContent(FileSource source, long offset, long length, ProgressCounter progress)
        {
            (_source, _offset, _length, _progress) = (source, offset, length, progress);
            Headers.ContentLength = length;
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            await using var input = _source.Open();
            if (_offset > 0)
            {
                if (input.CanSeek)
                {
                    input.Seek(_offset, SeekOrigin.Begin);
                }
                else
                {
                    await CopyAsync(input, Stream.Null, _offset, count: false, cancellationToken);
                }
            }

            await CopyAsync(input, stream, _length, count: true, cancellationToken);
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override bool TryComputeLength(out long length)
        {
            length = _length;
            return true;
        }

        private async Task CopyAsync(Stream input, Stream output, long bytes, bool count, CancellationToken cancel)
        {
            var buffer = new byte[(int)Math.Min(1 << 18, Math.Max(1, bytes))];
            var remaining = bytes;
            while (remaining > 0)
            {
                var read = await input.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), cancel);
                if (read == 0)
                {
                    throw new IOException($"{_source.Description} is shorter than expected (it changed during the upload?)");
                }

                await output.WriteAsync(buffer.AsMemory(0, read), cancel);
                remaining -= read;
                if (count)
                {
                    _progress.Add(read);
                }
            }
        }
    }

    /// <summary>The NDJSON commit body, written as it is sent; inline files are base64-encoded from their source.</summary>
    private sealed class NdjsonCommitContent(CommitRequest request, string parent, IReadOnlyList<UploadPlan> files, IReadOnlyList<CommitOperation> deletes) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            await WriteLine(stream, Line("header", new JsonObject { ["summary"] = request.Message, ["description"] = request.Description, ["parentCommit"] = parent }), cancellationToken);
            foreach (var delete in deletes)
            {
                await WriteLine(stream, Line(delete is DeleteFolderOperation ? "deletedFolder" : "deletedFile", new JsonObject { ["path"] = delete is DeleteFolderOperation ? delete.PathInRepo + "/" : delete.PathInRepo }), cancellationToken);
            }

            foreach (var file in files)
            {
                if (file.Lfs)
                {
                    await WriteLine(stream, Line("lfsFile", new JsonObject { ["path"] = file.Operation.PathInRepo, ["algo"] = "sha256", ["oid"] = file.Sha256, ["size"] = file.Size }), cancellationToken);
                    continue;
                }

                await stream.WriteAsync(Encoding.UTF8.GetBytes("{\"key\":\"file\",\"value\":{\"path\":" + JsonValue.Create(file.Operation.PathInRepo).ToJsonString() + ",\"encoding\":\"base64\",\"content\":\""), cancellationToken);
                await using (var input = file.Operation.Source.Open())
                await using (var base64 = new CryptoStream(new NonClosing(stream), new ToBase64Transform(), CryptoStreamMode.Write, leaveOpen: true))
                {
                    await input.CopyToAsync(base64, cancellationToken);
                    await base64.FlushFinalBlockAsync(cancellationToken);
                }

                await stream.WriteAsync("\"}}\n"u8.ToArray(), cancellationToken);
            }
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }

        private static JsonObject Line(string key, JsonObject value) => new() { ["key"] = key, ["value"] = value };

        private static async Task WriteLine(Stream stream, JsonObject line, CancellationToken cancel)
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(line.ToJsonString() + "\n"), cancel);
        }
    }

    private sealed class NonClosing(Stream inner) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.WriteAsync(buffer, offset, count, cancellationToken);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);
    }
}

/// <summary>A revision of a repo: its commit and file list.</summary>
public sealed record RepoSnapshot(string Sha, IReadOnlyList<string> Files, bool Private);

/// <summary>A file of a repo at a commit: its git blob id (of the pointer, for LFS files) and, for LFS files, its SHA-256.</summary>
public sealed record RepoFileEntry(string Path, long Size, string Oid, string? LfsSha256)
{
    /// <summary>What the Hub's resolve answers as the ETag: the SHA-256 for LFS files, the git blob id otherwise (the cache's blob name).</summary>
    public string Etag => LfsSha256 ?? Oid;
}

public sealed record CommitSummary(string Oid, string Title, DateTimeOffset Date);
