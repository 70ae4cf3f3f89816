using System.Net;
using System.Text;
using Alimentar.Hub.Repos;
using Alimentar.Server.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Alimentar.Server.Endpoints;

/// <summary>
/// The page a commit URL leads to (<c>/datasets/{id}/commit/{oid}</c>, as in the commit API's <c>commitUrl</c> and
/// what <c>hub push</c> and <c>publish</c> print): the commit's title, description, author, date and the files it
/// added, changed or deleted, each linked to its download. The Hub shows a diff there; this shows what changed.
/// </summary>
public static class CommitPageEndpoints
{
    public static void Map(WebApplication app, HubContext hub)
    {
        foreach (var (prefix, type) in HubContext.RepoRoutes)
        {
            app.MapGet($"{prefix}/commit/{{oid}}", (HttpContext http, string ns, string name, string oid) =>
            {
                var id = HubContext.ParseRepo(type, ns, name);
                hub.ReadableRepo(http, id);
                var commit = hub.Store.ReadCommit(id, oid.ToLowerInvariant()) ?? throw HubException.RevisionNotFound(oid);
                var parent = commit.Parents.Count > 0 ? hub.Store.ReadCommit(id, commit.Parents[0]) : null;
                return Results.Content(Page(hub.BaseUrl(http), id, commit, parent), "text/html; charset=utf-8");
            });
        }
    }

    private static string Page(string baseUrl, RepoId id, CommitRecord commit, CommitRecord? parent)
    {
        var before = parent?.Files ?? new SortedDictionary<string, FileEntry>(StringComparer.Ordinal);
        var changes = commit.Files.Where(f => !before.TryGetValue(f.Key, out var old) || old.Oid != f.Value.Oid)
            .Select(f => (Path: f.Key, What: before.ContainsKey(f.Key) ? "changed" : "added", Size: (long?)f.Value.Size))
            .Concat(before.Keys.Where(k => !commit.Files.ContainsKey(k)).Select(k => (Path: k, What: "deleted", Size: (long?)null)))
            .OrderBy(c => c.Path, StringComparer.Ordinal)
            .ToList();
        string H(string text) => WebUtility.HtmlEncode(text);
        var repoUrl = $"{baseUrl}/{id.UrlPrefix}{id.FullName}";
        var html = new StringBuilder();
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(H(commit.Title)).Append(" - ").Append(H(id.FullName))
            .Append("</title><style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}code{font-size:.9em}td{padding:.2rem .8rem .2rem 0}pre{white-space:pre-wrap}</style></head><body>")
            .Append("<p><a href=\"").Append(H(repoUrl)).Append("\">").Append(H(id.FullName)).Append("</a></p>")
            .Append("<h1>").Append(H(commit.Title)).Append("</h1>")
            .Append("<p>commit <code>").Append(commit.Oid).Append("</code> by ").Append(H(commit.Author)).Append(" on ").Append(HubTimestamp.Format(commit.Date));
        if (commit.Parents.Count > 0)
        {
            html.Append(", parent <a href=\"").Append(H($"{repoUrl}/commit/{commit.Parents[0]}")).Append("\"><code>").Append(commit.Parents[0][..12]).Append("</code></a>");
        }

        html.Append("</p>");
        if (commit.Description.Length > 0)
        {
            html.Append("<pre>").Append(H(commit.Description)).Append("</pre>");
        }

        html.Append("<h2>").Append(changes.Count).Append(changes.Count == 1 ? " file" : " files").Append("</h2><table>");
        foreach (var (path, what, size) in changes)
        {
            html.Append("<tr><td>").Append(what).Append("</td><td>");
            if (size is { } bytes)
            {
                html.Append("<a href=\"").Append(H($"{repoUrl}/resolve/{commit.Oid}/{string.Join('/', path.Split('/').Select(Uri.EscapeDataString))}")).Append("\">").Append(H(path)).Append("</a></td><td>").Append(bytes.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)).Append(" bytes");
            }
            else
            {
                html.Append(H(path)).Append("</td><td>");
            }

            html.Append("</td></tr>");
        }

        return html.Append("</table></body></html>").ToString();
    }
}
