using System.Text.Json;
using System.Text.Json.Nodes;
using Alimentar.Hub.Commits;
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
            var id = HubContext.ParseRepo(type, ns, name);
            var (user, _) = hub.WritableRepo(http, id);
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

                CommitLine parsed;
                try
                {
                    parsed = CommitPayload.Read(line, lineNumber);
                }
                catch (FormatException ex)
                {
                    throw HubException.BadRequest(ex.Message);
                }

                if (parsed is CommitHeader header)
                {
                    summary = header.Summary;
                    description = header.Description;
                    parent = header.ParentCommit;
                    continue;
                }

                if (summary is null)
                {
                    throw HubException.BadRequest("the first line must be the header");
                }

                changes.Add(parsed switch
                {
                    InlineFileLine file => new PutRegularFile(file.Path, file.Content),
                    LfsFileLine lfs => new PutLfsFile(lfs.Path, lfs.Sha256, lfs.Size),
                    DeleteLine delete => new DeletePath(delete.Path, delete.Folder),
                    _ => throw HubException.BadRequest($"line {lineNumber} cannot be applied"),
                });
            }

            if (string.IsNullOrWhiteSpace(summary))
            {
                throw HubException.BadRequest("the commit summary must not be empty");
            }

            if (hub.Store.Resolve(id, revision) is null && !createPr)
            {
                throw HubException.RevisionNotFound(revision);
            }

            // Unknown and not-yours read alike: the answer must not tell whether someone else stored the object.
            var baseFiles = hub.Store.Resolve(id, revision)?.Files;
            foreach (var lfs in changes.OfType<PutLfsFile>())
            {
                if (baseFiles?.Values.Any(f => f.Lfs && f.Oid == lfs.Sha256) != true && !hub.MayUseObject(user, id, lfs.Sha256))
                {
                    throw HubException.BadRequest($"LFS object {lfs.Sha256} for '{lfs.Path}' was not uploaded");
                }
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
            var id = HubContext.ParseRepo(type, ns, name);
            hub.WritableRepo(http, id);
            var branch = HubContext.WholeRevision(http, "/branch/");
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
