using System.Net;
using System.Net.Http.Headers;
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
public sealed partial class HubClient : IDisposable
{

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
        _retry = new RetryPolicy(Options, Options.Log, Options.RetryNotice);
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
        if (response.StatusCode == HttpStatusCode.NotFound && ErrorCode(response) is HubErrorCodes.RepoNotFound or HubErrorCodes.RevisionNotFound or null)
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
