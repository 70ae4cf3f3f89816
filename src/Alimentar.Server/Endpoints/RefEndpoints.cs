using System.Text.Json;
using System.Text.Json.Nodes;
using Alimentar.Hub;
using Alimentar.Hub.Repos;
using Alimentar.Server.Security;
using Alimentar.Server.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Alimentar.Server.Endpoints;

/// <summary>Refs (list, tags, branch deletion), paths-info, repo settings, move and delete.</summary>
public static class RefEndpoints
{
    public static void Map(WebApplication app, HubContext hub)
    {
        app.MapGet("/api/{type}/{ns}/{name}/refs", (HttpContext http, string type, string ns, string name) =>
        {
            var id = HubContext.ParseRepo(type, ns, name);
            hub.ReadableRepo(http, id);
            JsonArray Refs(string kind, string prefix) => new(hub.Store.Refs(id, kind).Select(r => (JsonNode)new JsonObject
            {
                ["name"] = kind == "pr" ? prefix + r.Name : r.Name,
                ["ref"] = prefix + r.Name,
                ["targetCommit"] = r.Oid,
            }).ToArray());
            var body = new JsonObject { ["branches"] = Refs("heads", "refs/heads/"), ["converts"] = new JsonArray(), ["tags"] = Refs("tags", "refs/tags/") };
            if (http.Request.Query["include_prs"].ToString() is "1" or "true")
            {
                body["pullRequests"] = Refs("pr", "refs/pr/");
            }

            return HubContext.JsonResponse(body);
        });

        app.MapPost("/api/{type}/{ns}/{name}/tag/{**revision}", async (HttpContext http, string type, string ns, string name) =>
        {
            var id = HubContext.ParseRepo(type, ns, name);
            hub.WritableRepo(http, id);
            var (revision, _) = HubContext.RevisionAndPath(HubContext.RawAfter(http, "/tag/"));
            var body = await HubContext.ReadJsonAsync(http.Request);
            var tag = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("tag", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : throw HubException.BadRequest("'tag' is required");
            var target = await hub.Store.CreateTagAsync(id, tag, revision);
            return HubContext.JsonResponse(new JsonObject { ["name"] = tag, ["commit"] = target.Oid });
        });

        foreach (var (segment, kind) in new[] { ("tag", "tags"), ("branch", "heads") })
        {
            app.MapDelete($"/api/{{type}}/{{ns}}/{{name}}/{segment}/{{**rest}}", async (HttpContext http, string type, string ns, string name) =>
            {
                var id = HubContext.ParseRepo(type, ns, name);
                hub.WritableRepo(http, id);
                await hub.Store.DeleteRefAsync(id, kind, HubContext.WholeRevision(http, $"/{segment}/"));
                return HubContext.JsonResponse(new JsonObject());
            });
        }

        // Python sends a form (paths=a&paths=b&expand=false), JS a JSON body; both are read.
        app.MapPost("/api/{type}/{ns}/{name}/paths-info/{**revision}", async (HttpContext http, string type, string ns, string name) =>
        {
            var id = HubContext.ParseRepo(type, ns, name);
            hub.ReadableRepo(http, id);
            var (revision, _) = HubContext.RevisionAndPath(HubContext.RawAfter(http, "/paths-info/"));
            var commit = hub.Store.Resolve(id, revision) ?? throw HubException.RevisionNotFound(revision);
            List<string> paths;
            bool expand;
            if (http.Request.HasFormContentType)
            {
                var form = await http.Request.ReadFormAsync();
                paths = form["paths"].Where(p => p is not null).Select(p => p!).ToList();
                expand = form["expand"].ToString() is "true" or "True" or "1";
            }
            else
            {
                var body = await HubContext.ReadJsonAsync(http.Request);
                paths = body.TryGetProperty("paths", out var p) && p.ValueKind == JsonValueKind.Array ? p.EnumerateArray().Select(x => x.GetString() ?? string.Empty).ToList() : [];
                expand = body.TryGetProperty("expand", out var e) && e.ValueKind == JsonValueKind.True;
            }

            if (paths.Count > 1000)
            {
                throw new HubException(413, "too many parameters: at most 1000 paths per request");
            }

            var history = expand ? hub.Store.History(id, commit).ToList() : [];
            var entries = new List<JsonNode>();
            foreach (var path in paths.Select(p => p.Trim('/')).Distinct(StringComparer.Ordinal))
            {
                if (commit.Files.TryGetValue(path, out var file))
                {
                    entries.Add(DownloadEndpoints.FileJson(path, file, history, id, hub));
                }
                else if (path.Length > 0 && commit.Files.Keys.Any(k => k.StartsWith(path + "/", StringComparison.Ordinal)))
                {
                    entries.Add(DownloadEndpoints.DirectoryJson(path, commit));
                }
            }

            return HubContext.JsonResponse(new JsonArray(entries.ToArray()));
        });

        app.MapPut("/api/{type}/{ns}/{name}/settings", async (HttpContext http, string type, string ns, string name) =>
        {
            var id = HubContext.ParseRepo(type, ns, name);
            var (_, repo) = hub.WritableRepo(http, id, Access.Admin);
            var body = await HubContext.ReadJsonAsync(http.Request);
            var isPrivate = repo.Private;
            if (body.TryGetProperty("visibility", out var visibility) && visibility.ValueKind == JsonValueKind.String)
            {
                isPrivate = visibility.GetString() is "private" or "protected";
            }
            else if (body.TryGetProperty("private", out var p) && p.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                isPrivate = p.ValueKind == JsonValueKind.True;
            }

            if (body.TryGetProperty("gated", out var gated) && gated.ValueKind != JsonValueKind.False)
            {
                throw new HubException(501, "alimentar hub serve does not implement gated repos (access requests); only visibility can be changed");
            }

            var record = await hub.Store.UpdateSettingsAsync(id, isPrivate);
            return HubContext.JsonResponse(new JsonObject { ["private"] = record.Private });
        });

        app.MapPost("/api/repos/move", async (HttpContext http) =>
        {
            var body = await HubContext.ReadJsonAsync(http.Request);
            var type = RepoId.TypeFromSegment(JsonText.Property(body, "type") ?? "model") ?? throw HubException.BadRequest("unknown 'type'");
            var from = Repo(JsonText.Property(body, "fromRepo"), type);
            var to = Repo(JsonText.Property(body, "toRepo"), type);
            hub.WritableRepo(http, from, Access.Admin);
            hub.RequireNamespace(http, to.Namespace, type);
            await hub.Store.MoveRepoAsync(from, to);
            return HubContext.JsonResponse(new JsonObject { ["url"] = $"{hub.BaseUrl(http)}/{to.UrlPrefix}{to.FullName}" });
        });

        app.MapDelete("/api/repos/delete", async (HttpContext http) =>
        {
            var user = hub.RequireUser(http);
            var body = await HubContext.ReadJsonAsync(http.Request);
            var type = RepoId.TypeFromSegment(JsonText.Property(body, "type") ?? "model") ?? throw HubException.BadRequest("unknown 'type'");
            var name = JsonText.Property(body, "name") ?? throw HubException.BadRequest("'name' is required");
            var id = Repo($"{JsonText.Property(body, "organization") ?? user.Name}/{name}", type);
            hub.WritableRepo(http, id, Access.Admin);
            await hub.Store.DeleteRepoAsync(id);
            return HubContext.JsonResponse(new JsonObject());
        });

        // What is not implemented says so in the Hub's error shape, never as a bare 404 a client reads as "repo not found".
        app.MapFallback("/api/{**rest}", (HttpContext http) =>
            HubContext.Error(http, 501, $"alimentar hub serve does not implement {http.Request.Method} {http.Request.Path}", HubErrorCodes.NotImplemented));
    }

    private static RepoId Repo(string? fullName, RepoType type)
    {
        try
        {
            return RepoId.Parse(fullName ?? throw HubException.BadRequest("a repo id is required"), type);
        }
        catch (ArgumentException ex)
        {
            throw HubException.BadRequest(ex.Message);
        }
    }
}
