using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Alimentar.Hub;
using Alimentar.Hub.Cards;
using Alimentar.Hub.Repos;
using Alimentar.Server.Security;
using Alimentar.Server.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Alimentar.Server.Endpoints;

/// <summary>Create repo, repo info, whoami, validate-yaml.</summary>
public static class RepoEndpoints
{
    public static void Map(WebApplication app, HubContext hub)
    {
        app.MapPost("/api/repos/create", async (HttpContext http) =>
        {
            var user = hub.RequireUser(http);
            var body = await HubContext.ReadJsonAsync(http.Request);
            var name = JsonText.Property(body, "name") ?? throw HubException.BadRequest("'name' is required");
            var organization = JsonText.Property(body, "organization") ?? user.Name;
            var type = RepoId.TypeFromSegment(JsonText.Property(body, "type") ?? "model") ?? throw HubException.BadRequest("unknown 'type'");
            hub.RequireNamespace(http, organization, type);
            var visibility = JsonText.Property(body, "visibility");
            var isPrivate = visibility is not null
                ? visibility is "private" or "protected"
                : body.TryGetProperty("private", out var p) && p.ValueKind == JsonValueKind.True;
            var id = HubContext.ParseRepo(RepoId.ApiSegmentOf(type), organization, name);
            var files = new List<PutRegularFile>();
            if (body.TryGetProperty("files", out var initial) && initial.ValueKind == JsonValueKind.Array)
            {
                foreach (var f in initial.EnumerateArray())
                {
                    var (path, error) = RepoPaths.Normalize(JsonText.Property(f, "path"));
                    if (error is not null)
                    {
                        throw HubException.BadRequest(error);
                    }

                    files.Add(new PutRegularFile(path!, Convert.FromBase64String(JsonText.Property(f, "content") ?? string.Empty)));
                }
            }

            var url = $"{hub.BaseUrl(http)}/{id.UrlPrefix}{id.FullName}";
            try
            {
                var record = await hub.Store.CreateRepoAsync(id, isPrivate, user.Name, files);
                return HubContext.JsonResponse(new JsonObject { ["url"] = url, ["name"] = id.FullName, ["id"] = record.InternalId });
            }
            catch (HubException ex) when (ex.Status == 409)
            {
                return HubContext.JsonResponse(new JsonObject { ["error"] = ex.Message, ["url"] = url }, 409);
            }
        });

        app.MapGet("/api/{type}/{ns}/{name}", (HttpContext http, string type, string ns, string name) => Info(http, hub, type, ns, name, "main"));
        app.MapGet("/api/{type}/{ns}/{name}/revision/{**revision}", (HttpContext http, string type, string ns, string name) =>
            Info(http, hub, type, ns, name, HubContext.RevisionAndPath(HubContext.RawAfter(http, "/revision/")).Revision));

        app.MapGet("/api/whoami-v2", (HttpContext http) =>
        {
            var user = hub.User(http) ?? throw new HubException(401, "Invalid username or password.");
            var orgs = hub.Access.Organizations.MembershipsOf(user.Name).Select(o => (JsonNode)new JsonObject
            {
                ["type"] = "org",
                ["name"] = o.Organization,
                ["fullname"] = o.Organization,
                ["roleInOrg"] = Roles.Name(o.Role),
            });
            return HubContext.JsonResponse(new JsonObject
            {
                ["type"] = "user",
                ["name"] = user.Name,
                ["fullname"] = user.Name,
                ["isPro"] = false,
                ["orgs"] = new JsonArray(orgs.ToArray()),
                ["auth"] = new JsonObject { ["type"] = "access_token", ["accessToken"] = new JsonObject { ["displayName"] = user.Name, ["role"] = user.CanWrite ? "write" : "read" } },
            });
        });

        app.MapPost("/api/validate-yaml", async (HttpContext http) =>
        {
            var body = await HubContext.ReadJsonAsync(http.Request);
            var content = JsonText.Property(body, "content") ?? string.Empty;
            var result = new DatasetCardValidator().Validate(content);
            var errors = new JsonArray(result.Errors.Select(e => (JsonNode)new JsonObject { ["message"] = e.Message }).ToArray());
            var warnings = new JsonArray(result.Warnings.Select(w => (JsonNode)new JsonObject { ["message"] = w.Message }).ToArray());
            return HubContext.JsonResponse(new JsonObject { ["errors"] = errors, ["warnings"] = warnings }, errors.Count > 0 ? 400 : 200);
        });
    }

    // An LFS file's blob is its pointer file, so its blob id and pointer size both come from the one pointer text.
    private static JsonObject SiblingWithBlob(string path, FileEntry file)
    {
        var pointer = file.Lfs ? Encoding.UTF8.GetBytes(GitObjects.LfsPointer(file.Oid, file.Size)) : null;
        return new JsonObject
        {
            ["rfilename"] = path,
            ["size"] = file.Size,
            ["blobId"] = pointer is null ? file.Oid : GitObjects.BlobSha1(pointer),
            ["lfs"] = pointer is null ? null : new JsonObject { ["size"] = file.Size, ["sha256"] = file.Oid, ["pointerSize"] = pointer.Length },
        };
    }

    private static IResult Info(HttpContext http, HubContext hub, string type, string ns, string name, string revision)
    {
        var id = HubContext.ParseRepo(type, ns, name);
        var repo = hub.ReadableRepo(http, id);
        var commit = hub.Store.Resolve(id, revision) ?? throw HubException.RevisionNotFound(revision);
        var blobs = http.Request.Query["blobs"].ToString() is "true" or "1" or "True";
        var siblings = commit.Files.Select(f => (JsonNode)(blobs ? SiblingWithBlob(f.Key, f.Value) : new JsonObject { ["rfilename"] = f.Key })).ToArray();
        return HubContext.JsonResponse(new JsonObject
        {
            ["_id"] = repo.InternalId,
            ["id"] = repo.Id,
            ["author"] = id.Namespace,
            ["sha"] = commit.Oid,
            ["lastModified"] = HubTimestamp.Format(commit.Date),
            ["createdAt"] = HubTimestamp.Format(repo.CreatedAt),
            ["private"] = repo.Private,
            ["gated"] = false,
            ["disabled"] = false,
            ["tags"] = new JsonArray(),
            ["downloads"] = 0,
            ["likes"] = 0,
            ["siblings"] = new JsonArray(siblings),
        });
    }
}
