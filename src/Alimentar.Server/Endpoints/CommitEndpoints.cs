using System.Text.Json;
using System.Text.Json.Nodes;
using Alimentar.Hub.Repos;
using Alimentar.Server.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Alimentar.Server.Endpoints;

/// <summary>The NDJSON commit API and commit history.</summary>
public static class CommitEndpoints
{
    public static void Map(WebApplication app, HubContext hub)
    {
        app.MapPost("/api/{type}/{ns}/{name}/commit/{**revision}", async (HttpContext http, string type, string ns, string name) =>
        {
            var user = hub.RequireWrite(http);
            var id = HubContext.ParseRepo(type, ns, name);
            hub.ReadableRepo(http, id);
            var (revision, _) = HubContext.RevisionAndPath(HubContext.RawAfter(http, "/commit/"));
            var createPr = http.Request.Query["create_pr"].ToString() is "1" or "true" or "True";
            HubContext.LimitBody(http, hub.Options.MaxCommitBodyBytes);

            string? summary = null;
            var description = string.Empty;
            string? parent = null;
            var changes = new List<CommitChange>();
            using var reader = new StreamReader(http.Request.Body);
            var lineNumber = 0;
            while (await reader.ReadLineAsync(http.RequestAborted) is { } line)
            {
                lineNumber++;
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                JsonElement item;
                try
                {
                    item = JsonSerializer.Deserialize(line, ServerJsonContext.Default.JsonElement);
                }
                catch (JsonException)
                {
                    throw HubException.BadRequest($"line {lineNumber} is not JSON");
                }

                var key = item.GetProperty("key").GetString();
                var value = item.GetProperty("value");
                if (key == "header")
                {
                    summary = Str(value, "summary");
                    description = Str(value, "description") ?? string.Empty;
                    parent = Str(value, "parentCommit");
                    if (parent is not null && !System.Text.RegularExpressions.Regex.IsMatch(parent, "^[0-9a-fA-F]{5,40}$"))
                    {
                        throw HubException.BadRequest("parentCommit must be 5-40 hex characters");
                    }

                    parent = parent?.ToLowerInvariant();
                    continue;
                }

                if (summary is null)
                {
                    throw HubException.BadRequest("the first line must be the header");
                }

                var rawPath = Str(value, "path");
                var isFolder = key == "deletedFolder";
                var (path, error) = RepoPaths.Normalize(isFolder ? rawPath?.TrimEnd('/') : rawPath);
                if (error is not null)
                {
                    throw HubException.BadRequest($"invalid path '{rawPath}': {error}");
                }

                switch (key)
                {
                    case "file":
                        var encoding = Str(value, "encoding") ?? "base64";
                        var content = Str(value, "content") ?? string.Empty;
                        byte[] bytes;
                        try
                        {
                            bytes = encoding == "base64" ? Convert.FromBase64String(content) : System.Text.Encoding.UTF8.GetBytes(content);
                        }
                        catch (FormatException)
                        {
                            throw HubException.BadRequest($"content of '{path}' is not valid base64");
                        }

                        changes.Add(new PutRegularFile(path!, bytes));
                        break;
                    case "lfsFile":
                        var oid = Str(value, "oid") ?? string.Empty;
                        if (!GitObjects.IsSha256(oid))
                        {
                            throw HubException.BadRequest($"lfsFile '{path}' needs a sha256 oid");
                        }

                        changes.Add(new PutLfsFile(path!, oid, value.TryGetProperty("size", out var size) && size.ValueKind == JsonValueKind.Number ? size.GetInt64() : null));
                        break;
                    case "deletedFile":
                        changes.Add(new DeletePath(path!, Folder: false));
                        break;
                    case "deletedFolder":
                        changes.Add(new DeletePath(path!, Folder: true));
                        break;
                    default:
                        throw HubException.BadRequest($"unknown line type '{key}'");
                }
            }

            if (string.IsNullOrWhiteSpace(summary))
            {
                throw HubException.BadRequest("the commit summary must not be empty");
            }

            if (hub.Store.Resolve(id, revision) is null && !createPr)
            {
                throw HubException.RevisionNotFound(revision);
            }

            var (commit, pr) = await hub.Store.CommitAsync(id, revision, changes, summary, description, parent, createPr, user.Name);
            var repoUrl = $"{hub.BaseUrl(http)}/{id.UrlPrefix}{id.FullName}";
            return HubContext.JsonResponse(new JsonObject
            {
                ["success"] = true,
                ["commitOid"] = commit.Oid,
                ["commitUrl"] = $"{repoUrl}/commit/{commit.Oid}",
                ["pullRequestUrl"] = pr is { } n ? $"{repoUrl}/discussions/{n}" : null,
                ["hookOutput"] = string.Empty,
            });
        });

        app.MapPost("/api/{type}/{ns}/{name}/branch/{**branch}", async (HttpContext http, string type, string ns, string name) =>
        {
            hub.RequireWrite(http);
            var id = HubContext.ParseRepo(type, ns, name);
            hub.ReadableRepo(http, id);
            var (branch, _) = HubContext.RevisionAndPath(HubContext.RawAfter(http, "/branch/"));
            var from = "main";
            if (http.Request.ContentLength is > 0)
            {
                var body = await HubContext.ReadJsonAsync(http.Request);
                from = Str(body, "startingPoint") ?? from;
            }

            var start = await hub.Store.CreateBranchAsync(id, branch, from);
            return HubContext.JsonResponse(new JsonObject { ["name"] = branch, ["commit"] = start.Oid });
        });

        app.MapGet("/api/{type}/{ns}/{name}/commits/{**revision}", (HttpContext http, string type, string ns, string name) =>
        {
            var id = HubContext.ParseRepo(type, ns, name);
            hub.ReadableRepo(http, id);
            var (revision, _) = HubContext.RevisionAndPath(HubContext.RawAfter(http, "/commits/"));
            var head = hub.Store.Resolve(id, revision) ?? throw HubException.RevisionNotFound(revision);
            var limit = int.TryParse(http.Request.Query["limit"], out var l) ? Math.Clamp(l, 1, 1000) : 50;
            var page = int.TryParse(http.Request.Query["p"], out var p) ? Math.Max(0, p) : 0;
            var history = hub.Store.History(id, head).ToList();
            var items = new JsonArray(history.Skip(page * limit).Take(limit).Select(c => (JsonNode)new JsonObject
            {
                ["id"] = c.Oid,
                ["title"] = c.Title,
                ["message"] = string.IsNullOrEmpty(c.Description) ? c.Title : $"{c.Title}\n\n{c.Description}",
                ["authors"] = new JsonArray(new JsonObject { ["user"] = c.Author, ["avatar"] = null }),
                ["date"] = HubTimestamp.Format(c.Date),
                ["parents"] = new JsonArray(c.Parents.Select(p => (JsonNode)p).ToArray()),
            }).ToArray());
            http.Response.Headers["X-Total-Count"] = history.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if ((page + 1) * limit < history.Count)
            {
                var url = $"{hub.BaseUrl(http)}{http.Request.Path}?limit={limit}&p={page + 1}";
                http.Response.Headers.Link = $"<{url}>; rel=\"next\"";
            }

            return HubContext.JsonResponse(items);
        });
    }

    private static string? Str(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
