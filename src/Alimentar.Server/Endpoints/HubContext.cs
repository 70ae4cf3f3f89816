using System.Text.Json;
using System.Text.Json.Nodes;
using Alimentar.Hub.Repos;
using Alimentar.Server.Security;
using Alimentar.Server.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Alimentar.Server.Endpoints;

/// <summary>What every endpoint needs: storage, tokens, URL signing, and the Hub's error conventions.</summary>
public sealed class HubContext(HubServerOptions options, HubStore store, TokenStore tokens, UrlSigner signer)
{
    /// <summary>A JSON request body (any shape; endpoints pick the fields they need).</summary>
    public static async Task<JsonElement> ReadJsonAsync(HttpRequest request) =>
        await JsonSerializer.DeserializeAsync(request.Body, ServerJsonContext.Default.JsonElement);

    /// <summary>A JSON response built as nodes (no reflection).</summary>
    public static IResult JsonResponse(JsonNode? body, int status = 200) =>
        Results.Json(body, ServerJsonContext.Default.JsonNode, statusCode: status);

    public static Task WriteJsonAsync(HttpResponse response, JsonNode body) =>
        response.WriteAsJsonAsync(body, ServerJsonContext.Default.JsonNode);

    public HubServerOptions Options { get; } = options;

    public HubStore Store { get; } = store;

    public UrlSigner Signer { get; } = signer;

    /// <summary>Writes the Hub's error shape: JSON <c>{"error": ...}</c> plus X-Error-Code and X-Error-Message.</summary>
    public static async Task Error(HttpContext http, int status, string message, string? code)
    {
        if (http.Response.HasStarted)
        {
            http.Abort();
            return;
        }

        http.Response.StatusCode = status;
        if (code is not null)
        {
            http.Response.Headers["X-Error-Code"] = code;
        }

        // Header values must be printable ASCII; the body keeps the full message.
        var header = new string(message.Take(200).Select(c => c is >= ' ' and <= '~' ? c : '?').ToArray());
        http.Response.Headers["X-Error-Message"] = header;
        if (http.Request.Method != HttpMethods.Head)
        {
            await WriteJsonAsync(http.Response, new JsonObject { ["error"] = message });
        }
    }

    public string BaseUrl(HttpContext http) =>
        (Options.PublicUrl ?? $"{http.Request.Scheme}://{http.Request.Host}").TrimEnd('/');

    public HubUser? User(HttpContext http) => tokens.Authenticate(http.Request.Headers.Authorization);

    public HubUser RequireWrite(HttpContext http)
    {
        var user = User(http) ?? throw new HubException(401, "Invalid username or password.");
        return user.CanWrite ? user : throw new HubException(403, "This token has read access only; a write token is needed.");
    }

    public static RepoId ParseRepo(string typeSegment, string ns, string name)
    {
        var type = RepoId.TypeFromSegment(typeSegment) ?? throw HubException.BadRequest($"unknown repo type '{typeSegment}'");
        var id = $"{ns}/{name}";
        if (RepoId.Validate(id) is { } problem)
        {
            throw HubException.BadRequest($"invalid repo id '{id}': {problem}");
        }

        return new RepoId(type, ns, name);
    }

    /// <summary>The repo if it exists and the caller may see it; private repos are invisible without a token.</summary>
    public RepoRecord ReadableRepo(HttpContext http, RepoId id)
    {
        var repo = Store.GetRepo(id);
        if (repo is null || (repo.Private && User(http) is null))
        {
            throw HubException.RepoNotFound(id.FullName);
        }

        return repo;
    }

    public static void LimitBody(HttpContext http, long bytes)
    {
        var feature = http.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false })
        {
            feature.MaxRequestBodySize = bytes;
        }
    }

    /// <summary>
    /// Path segments after a prefix, percent-decoded one by one (so Python's <c>%2F</c> inside a revision or a
    /// folder survives), then split into a revision and a path. JS sends <c>refs/pr/1</c> raw, as three segments.
    /// </summary>
    public static (string Revision, string Path) RevisionAndPath(string rawRest)
    {
        var segments = rawRest.Split('/', StringSplitOptions.None).Select(Uri.UnescapeDataString).ToList();
        if (segments.Count == 0 || segments[0].Length == 0)
        {
            throw HubException.BadRequest("revision missing");
        }

        string revision;
        int consumed;
        if (segments[0] == "refs" && segments.Count >= 3 && segments[1] is "pr" or "convert" or "heads")
        {
            revision = string.Join('/', segments.Take(3));
            consumed = 3;
        }
        else
        {
            revision = segments[0];
            consumed = 1;
        }

        if (RepoPaths.ValidateRevision(revision) is { } problem)
        {
            throw HubException.BadRequest(problem);
        }

        var path = string.Join('/', segments.Skip(consumed)).Trim('/');
        if (path.Length > 0 && (path.Split('/').Any(s => s is "." or "..") || path.Contains('\\', StringComparison.Ordinal) || path.Any(char.IsControl)))
        {
            throw HubException.BadRequest("invalid path");
        }

        return (revision, path);
    }

    /// <summary>
    /// A branch or tag name that is the whole rest of the path (<c>/branch/feat/x</c> names <c>feat/x</c>, whether its
    /// slashes are encoded or not), validated by git's ref rules.
    /// </summary>
    public static string WholeRevision(HttpContext http, string marker)
    {
        var name = Uri.UnescapeDataString(RawAfter(http, marker)).Trim('/');
        if (RepoPaths.ValidateRevision(name) is { } problem)
        {
            throw HubException.BadRequest($"'{(name.Length > 80 ? name[..80] + "..." : name)}': {problem}");
        }

        return name;
    }

    /// <summary>The part of the raw request path after <paramref name="marker"/>, still percent-encoded.</summary>
    public static string RawAfter(HttpContext http, string marker)
    {
        var raw = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? http.Request.Path.Value ?? string.Empty;
        var query = raw.IndexOf('?', StringComparison.Ordinal);
        if (query >= 0)
        {
            raw = raw[..query];
        }

        var index = raw.IndexOf(marker, StringComparison.Ordinal);
        return index < 0 ? string.Empty : raw[(index + marker.Length)..];
    }
}
