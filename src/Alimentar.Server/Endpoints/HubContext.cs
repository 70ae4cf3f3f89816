using System.Text.Json;
using System.Text.Json.Nodes;
using Alimentar.Hub.Repos;
using Alimentar.Server.Security;
using Alimentar.Server.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Alimentar.Server.Endpoints;

/// <summary>What every endpoint needs: storage, tokens, URL signing, and the Hub's error conventions.</summary>
public sealed class HubContext(HubServerOptions options, HubStore store, TokenStore tokens, UrlSigner signer, AccessPolicy access)
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

    public AccessPolicy Access { get; } = access;

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

    private const string ReadOnlyToken = "This token has read access only; a write token is needed.";

    public HubUser RequireUser(HttpContext http) => User(http) ?? throw new HubException(401, "Invalid username or password.");

    /// <summary>
    /// The repo, if the caller may see it (404 otherwise, as for a repo that does not exist) and has
    /// <paramref name="needed"/> access to its namespace (403 otherwise). Anonymous callers get 401 first.
    /// </summary>
    public (HubUser User, RepoRecord Repo) WritableRepo(HttpContext http, RepoId id, Security.Access needed = Security.Access.Write)
    {
        var user = RequireUser(http);
        var repo = ReadableRepo(http, id);
        var access = Access.InNamespace(user, id.Namespace);
        if (access < needed)
        {
            throw new HubException(403, user.Role == TokenRole.Read && needed > Security.Access.Read
                ? ReadOnlyToken
                : $"You don't have the rights to {(needed == Security.Access.Admin ? "administer" : "write to")} {id.FullName}: that needs the {Roles.Name(needed)} role in '{id.Namespace}'.");
        }

        return (user, repo);
    }

    /// <summary>
    /// Whether a commit to <paramref name="id"/> by <paramref name="user"/> may refer to an LFS object: the repo holds
    /// it (uploaded for it, or in one of its commits), or the user can read a repo that holds it. The object being
    /// stored for someone else is not enough.
    /// </summary>
    public bool MayUseObject(HubUser user, RepoId id, string sha256) =>
        Store.Holds(id, sha256)
        || Store.ReposHolding(sha256).Any(r => Access.CanRead(user, r.Id.Split('/')[0], r.Private));

    /// <summary>The caller, if it may create repos in <paramref name="ns"/> (401 or 403 otherwise).</summary>
    public HubUser RequireNamespace(HttpContext http, string ns, RepoType type)
    {
        var user = RequireUser(http);
        if (Access.InNamespace(user, ns) < Security.Access.Write)
        {
            throw new HubException(403, user.Role == TokenRole.Read
                ? ReadOnlyToken
                : $"You don't have the rights to create a {type.ToString().ToLowerInvariant()} under the namespace \"{ns}\".");
        }

        return user;
    }

    /// <summary>The git-style route prefixes of a repo (downloads, LFS, commit pages), with the API type segment each stands for.</summary>
    public static IReadOnlyList<(string Prefix, string Type)> RepoRoutes { get; } =
        [("/datasets/{ns}/{name}", "datasets"), ("/spaces/{ns}/{name}", "spaces"), ("/{ns}/{name}", "models")];

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

    /// <summary>The repo if it exists and the caller may see it; a private repo is invisible outside its namespace.</summary>
    public RepoRecord ReadableRepo(HttpContext http, RepoId id)
    {
        var repo = Store.GetRepo(id);
        if (repo is null || !Access.CanRead(User(http), id.Namespace, repo.Private))
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
