using System.Text.Json.Nodes;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Alimentar.Hub.Http;
using Alimentar.Hub.Repos;
using Alimentar.Server.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Alimentar.Server.Endpoints;

/// <summary>Tree listing and resolve/raw downloads with Range support.</summary>
public static class DownloadEndpoints
{
    public static void Map(WebApplication app, HubContext hub)
    {
        app.MapGet("/api/{type}/{ns}/{name}/tree/{**rest}", (HttpContext http, string type, string ns, string name) => Tree(http, hub, type, ns, name));

        foreach (var (prefix, type) in HubContext.RepoRoutes)
        {
            foreach (var kind in new[] { "resolve", "raw" })
            {
                app.MapMethods($"{prefix}/{kind}/{{**rest}}", [HttpMethods.Get, HttpMethods.Head], (HttpContext http, string ns, string name) =>
                    Download(http, hub, type, ns, name, raw: kind == "raw"));
            }
        }
    }

    private static async Task Tree(HttpContext http, HubContext hub, string type, string ns, string name)
    {
        var id = HubContext.ParseRepo(type, ns, name);
        hub.ReadableRepo(http, id);
        var (revision, path) = HubContext.RevisionAndPath(HubContext.RawAfter(http, "/tree/"));
        var commit = hub.Store.Resolve(id, revision) ?? throw HubException.RevisionNotFound(revision);
        var recursive = Flag(http, "recursive");
        var expand = Flag(http, "expand");
        var prefix = path.Length == 0 ? string.Empty : path + "/";
        if (path.Length > 0 && !commit.Files.Keys.Any(k => k.StartsWith(prefix, StringComparison.Ordinal)))
        {
            throw HubException.EntryNotFound(path);
        }

        var entries = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (file, entry) in commit.Files.Where(f => f.Key.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var rest = file[prefix.Length..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            if (slash >= 0)
            {
                var parts = rest.Split('/');
                for (var depth = 1; depth < parts.Length && (recursive || depth == 1); depth++)
                {
                    var dir = prefix + string.Join('/', parts.Take(depth));
                    entries.TryAdd(dir, null);
                }

                if (!recursive)
                {
                    continue;
                }
            }

            entries[file] = entry;
        }

        var pageSize = expand ? Math.Min(50, hub.Options.TreePageSize) : hub.Options.TreePageSize;
        var start = 0;
        if (http.Request.Query["cursor"].ToString() is { Length: > 0 } cursor)
        {
            try
            {
                start = int.Parse(Encoding.ASCII.GetString(Convert.FromBase64String(cursor)), CultureInfo.InvariantCulture);
            }
            catch (FormatException)
            {
                throw HubException.BadRequest("invalid cursor");
            }
        }

        var history = expand ? hub.Store.History(id, commit).ToList() : [];
        var page = entries.Skip(start).Take(pageSize).Select(e => e.Value is FileEntry f ? FileJson(e.Key, f, history, id, hub) : DirectoryJson(e.Key, commit)).ToList();
        if (start + pageSize < entries.Count)
        {
            var next = Convert.ToBase64String(Encoding.ASCII.GetBytes((start + pageSize).ToString(CultureInfo.InvariantCulture)));
            var url = $"{hub.BaseUrl(http)}{http.Request.Path}?recursive={recursive.ToString().ToLowerInvariant()}&expand={expand.ToString().ToLowerInvariant()}&cursor={Uri.EscapeDataString(next)}";
            http.Response.Headers.Link = $"<{url}>; rel=\"next\"";
        }

        await HubContext.WriteJsonAsync(http.Response, new JsonArray(page.ToArray()));
    }

    internal static JsonNode FileJson(string path, FileEntry entry, List<CommitRecord> history, RepoId id, HubContext hub)
    {
        var pointer = entry.Lfs ? GitObjects.LfsPointer(entry.Oid, entry.Size) : null;
        var last = history.Count > 0 ? LastCommit(path, entry, history) : null;
        return new JsonObject
        {
            ["type"] = "file",
            ["oid"] = entry.Lfs ? GitObjects.BlobSha1(Encoding.UTF8.GetBytes(pointer!)) : entry.Oid,
            ["size"] = entry.Size,
            ["path"] = path,
            ["lfs"] = entry.Lfs ? new JsonObject { ["oid"] = entry.Oid, ["size"] = entry.Size, ["pointerSize"] = Encoding.UTF8.GetByteCount(pointer!) } : null,
            ["lastCommit"] = last is null ? null : new JsonObject { ["id"] = last.Oid, ["title"] = last.Title, ["date"] = HubTimestamp.Format(last.Date) },
            ["securityFileStatus"] = history.Count > 0 ? new JsonObject { ["status"] = "safe", ["avScan"] = new JsonObject { ["status"] = "safe" }, ["pickleImportScan"] = new JsonObject { ["status"] = "unscanned" } } : null,
        };
    }

    internal static JsonNode DirectoryJson(string path, CommitRecord commit)
    {
        var children = string.Join('\n', commit.Files.Where(f => f.Key.StartsWith(path + "/", StringComparison.Ordinal)).Select(f => $"{f.Key} {f.Value.Oid}"));
        return new JsonObject { ["type"] = "directory", ["oid"] = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(children))), ["size"] = 0, ["path"] = path };
    }

    private static CommitRecord LastCommit(string path, FileEntry entry, List<CommitRecord> history)
    {
        var last = history[0];
        foreach (var commit in history.Skip(1))
        {
            if (!commit.Files.TryGetValue(path, out var older) || older != entry)
            {
                break;
            }

            last = commit;
        }

        return last;
    }

    private static async Task Download(HttpContext http, HubContext hub, string type, string ns, string name, bool raw)
    {
        var id = HubContext.ParseRepo(type, ns, name);
        hub.ReadableRepo(http, id);
        var (revision, path) = HubContext.RevisionAndPath(HubContext.RawAfter(http, raw ? "/raw/" : "/resolve/"));
        var commit = hub.Store.Resolve(id, revision) ?? throw HubException.RevisionNotFound(revision);
        http.Response.Headers["X-Repo-Commit"] = commit.Oid;
        if (!commit.Files.TryGetValue(path, out var entry))
        {
            throw HubException.EntryNotFound(path);
        }

        long length;
        Func<Stream> open;
        string etag;
        if (entry.Lfs && !raw)
        {
            length = entry.Size;
            var file = hub.Store.LfsPath(entry.Oid);
            open = () => File.OpenRead(file);
            etag = entry.Oid;
            http.Response.Headers["X-Linked-Etag"] = $"\"{entry.Oid}\"";
            http.Response.Headers["X-Linked-Size"] = entry.Size.ToString(CultureInfo.InvariantCulture);
        }
        else if (entry.Lfs)
        {
            var pointer = Encoding.UTF8.GetBytes(GitObjects.LfsPointer(entry.Oid, entry.Size));
            length = pointer.Length;
            open = () => new MemoryStream(pointer);
            etag = GitObjects.BlobSha1(pointer);
        }
        else
        {
            var file = hub.Store.BlobPath(entry.Oid);
            length = entry.Size;
            open = () => File.OpenRead(file);
            etag = entry.Oid;
        }

        http.Response.Headers.ETag = $"\"{etag}\"";
        http.Response.Headers.AcceptRanges = "bytes";
        http.Response.ContentType = "application/octet-stream";
        var (from, to) = (0L, length - 1);
        var range = http.Request.Headers.Range.ToString();
        if (range.Length > 0 && length == 0)
        {
            // No byte of an empty file can be addressed; answer the whole (empty) file and still say its size,
            // which is where the JS client reads it from.
            http.Response.Headers.ContentRange = "bytes */0";
        }
        else if (range.Length > 0)
        {
            var asked = ByteRange.For(range, length);
            switch (asked.Answer)
            {
                case RangeAnswer.Whole:
                    // RFC 9110: a Range header that is malformed, or asks for several ranges, may be ignored: send the whole file.
                    break;
                case RangeAnswer.Unsatisfiable:
                    http.Response.Headers.ContentRange = $"bytes */{length}";
                    throw new HubException(416, $"Range {range} not satisfiable for {length} bytes");
                default:
                    (from, to) = (asked.From, asked.To);
                    http.Response.StatusCode = 206;
                    http.Response.Headers.ContentRange = $"bytes {from}-{to}/{length}";
                    break;
            }
        }

        var count = length == 0 ? 0 : to - from + 1;
        http.Response.ContentLength = count;
        if (HttpMethods.IsHead(http.Request.Method) || count == 0)
        {
            return;
        }

        await using var stream = open();
        stream.Seek(from, SeekOrigin.Begin);
        var buffer = new byte[1 << 16];
        var remaining = count;
        while (remaining > 0)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), http.RequestAborted);
            if (read == 0)
            {
                break;
            }

            await http.Response.Body.WriteAsync(buffer.AsMemory(0, read), http.RequestAborted);
            remaining -= read;
        }
    }

    private static bool Flag(HttpContext http, string name) => http.Request.Query[name].ToString() is "true" or "1" or "True";
}
