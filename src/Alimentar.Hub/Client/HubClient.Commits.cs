using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Alimentar.Hub.Commits;
using Alimentar.Hub.Repos;


namespace Alimentar.Hub.Client;

/// <summary>Commit planning and posting: preupload, hashing, the one NDJSON commit (huggingface_hub's <c>_commit_api</c>).</summary>
public sealed partial class HubClient
{
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

        var head = await GetRepoAsync(repo, request.Revision, cancel) ?? throw new HubApiException($"repository {repo} not found", HttpStatusCode.NotFound, HubErrorCodes.RepoNotFound);
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
        return RetryDelay(attempt) * (0.8 + (Random.Shared.NextDouble() * 0.4));
    }

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

    /// <summary>The NDJSON commit body, written as it is sent; inline files are base64-encoded from their source.</summary>
    private sealed class NdjsonCommitContent(CommitRequest request, string parent, IReadOnlyList<UploadPlan> files, IReadOnlyList<CommitOperation> deletes) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            await CommitPayload.WriteHeaderAsync(stream, request.Message, request.Description, parent, cancellationToken);
            foreach (var delete in deletes)
            {
                await CommitPayload.WriteDeleteAsync(stream, delete.PathInRepo, delete is DeleteFolderOperation, cancellationToken);
            }

            foreach (var file in files)
            {
                if (file.Lfs)
                {
                    await CommitPayload.WriteLfsFileAsync(stream, file.Operation.PathInRepo, file.Sha256!, file.Size, cancellationToken);
                    continue;
                }

                await using var input = file.Operation.Source.Open();
                await CommitPayload.WriteInlineFileAsync(stream, file.Operation.PathInRepo, input, cancellationToken);
            }
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
