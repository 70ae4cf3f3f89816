using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Alimentar.Hub.Lfs;
using Alimentar.Hub.Repos;
using Alimentar.Server.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Alimentar.Server.Endpoints;

/// <summary>Preupload, the LFS batch API, signed basic and multipart uploads, completion and verify.</summary>
public static class UploadEndpoints
{
    private const long RegularLimit = 10L * 1024 * 1024;
    private const long BinaryRegularLimit = 1024 * 1024;
    private const long MaxParts = 10_000;
    private const int MaxObjectsPerBatch = 1000;

    public static void Map(WebApplication app, HubContext hub)
    {
        app.MapPost("/api/{type}/{ns}/{name}/preupload/{**revision}", async (HttpContext http, string type, string ns, string name) =>
        {
            var id = HubContext.ParseRepo(type, ns, name);
            hub.WritableRepo(http, id);
            var (revision, _) = HubContext.RevisionAndPath(HubContext.RawAfter(http, "/preupload/"));
            var createPr = http.Request.Query["create_pr"].ToString() is "1" or "true";
            var commit = hub.Store.Resolve(id, revision) ?? (createPr ? null : throw HubException.RevisionNotFound(revision));
            commit ??= hub.Store.Resolve(id, "main") ?? throw HubException.RevisionNotFound(revision);
            var body = await HubContext.ReadJsonAsync(http.Request);
            var attributes = body.TryGetProperty("gitAttributes", out var ga) && ga.ValueKind == JsonValueKind.String
                ? ga.GetString()!
                : commit.Files.TryGetValue(".gitattributes", out var entry) && !entry.Lfs ? Encoding.UTF8.GetString(hub.Store.ReadBlob(entry.Oid)) : string.Empty;
            var patterns = GitAttributes.LfsPatterns(attributes);
            var files = new JsonArray();
            foreach (var file in body.GetProperty("files").EnumerateArray())
            {
                var (path, error) = RepoPaths.Normalize(file.GetProperty("path").GetString());
                if (error is not null)
                {
                    throw HubException.BadRequest($"invalid path '{file.GetProperty("path").GetString()}': {error}");
                }

                var size = file.TryGetProperty("size", out var s) ? s.GetInt64() : 0;
                var sample = file.TryGetProperty("sample", out var sm) && sm.ValueKind == JsonValueKind.String ? Convert.FromBase64String(sm.GetString()!) : [];
                var lfs = size > 0 && (GitAttributes.Tracks(patterns, path!) || size > RegularLimit || (size > BinaryRegularLimit && sample.Contains((byte)0)));
                commit.Files.TryGetValue(path!, out var existing);
                files.Add((JsonNode)new JsonObject
                {
                    ["path"] = path,
                    ["uploadMode"] = lfs ? "lfs" : "regular",
                    ["shouldIgnore"] = false,
                    ["oid"] = existing?.Oid,
                });
            }

            return HubContext.JsonResponse(new JsonObject { ["files"] = files, ["commitOid"] = commit.Oid });
        });

        foreach (var (repoPrefix, type) in HubContext.RepoRoutes)
        {
            var prefix = repoPrefix + ".git";
            app.MapPost(prefix + "/info/lfs/objects/batch", async (HttpContext http, string ns, string name) =>
            {
                var id = HubContext.ParseRepo(type, ns, name);
                var (user, _) = hub.WritableRepo(http, id);
                LfsBatchRequest batch;
                try
                {
                    batch = LfsBatchRequest.Read(await HubContext.ReadJsonAsync(http.Request));
                }
                catch (FormatException ex)
                {
                    throw new HubException(422, ex.Message);
                }

                if (batch.Operation != LfsBatchRequest.Upload)
                {
                    throw HubException.BadRequest("only the upload operation is supported");
                }

                if (batch.Objects.Count > MaxObjectsPerBatch)
                {
                    throw new HubException(413, $"at most {MaxObjectsPerBatch} objects per batch request");
                }

                var baseUrl = hub.BaseUrl(http);
                var verify = new LfsAction($"{baseUrl}{prefix.Replace("{ns}", id.Namespace).Replace("{name}", id.Name)}/info/lfs/objects/verify", new Dictionary<string, string>());
                var results = new List<LfsObjectResult>();
                foreach (var requested in batch.Objects)
                {
                    results.Add(await AnswerAsync(hub, baseUrl, id, requested, verify, requested.IsWellFormed && hub.MayUseObject(user, id, requested.Oid)));
                }

                http.Response.ContentType = LfsBatchRequest.MediaType;
                await http.Response.WriteAsync(new LfsBatchResponse(results).ToJson().ToJsonString());
            });

            app.MapPost(prefix + "/info/lfs/objects/verify", async (HttpContext http, string ns, string name) =>
            {
                var id = HubContext.ParseRepo(type, ns, name);
                var (user, _) = hub.WritableRepo(http, id);
                var (oid, size) = LfsObject.Read(await HubContext.ReadJsonAsync(http.Request));
                if (hub.Store.ObjectSize(oid) != size || !hub.MayUseObject(user, id, oid))
                {
                    throw new HubException(404, $"object {oid} with size {size} is not stored");
                }

                return HubContext.JsonResponse(new LfsObject(oid, size).ToJson());
            });
        }

        app.MapPut("/lfs/upload/{oid}", async (HttpContext http, string oid) =>
        {
            var size = long.TryParse(http.Request.Query["size"], out var s) ? s : -1;
            var repo = http.Request.Query["repo"].ToString();
            if (!GitObjects.IsSha256(oid) || size < 0 || !hub.Signer.Verify($"upload:{repo}:{oid}:{size}", http.Request.Query["exp"], http.Request.Query["sig"]))
            {
                throw new HubException(403, "invalid or expired upload URL");
            }

            HubContext.LimitBody(http, size);
            await hub.Store.StoreObjectAsync(oid, size, http.Request.Body, http.RequestAborted);
            hub.Store.Hold(SignedRepo(repo), oid);
            return Results.Ok();
        });

        app.MapPut("/lfs/part/{uploadId}/{n:int}", async (HttpContext http, string uploadId, int n) =>
        {
            var meta = await Meta(hub, uploadId);
            if (!hub.Signer.Verify($"part:{uploadId}:{n}", http.Request.Query["exp"], http.Request.Query["sig"]) || n < 1 || n > meta.Parts)
            {
                throw new HubException(403, "invalid or expired part URL");
            }

            var expected = n < meta.Parts ? meta.Chunk : meta.Size - ((long)(meta.Parts - 1) * meta.Chunk);
            HubContext.LimitBody(http, expected);
            var dir = hub.Store.UploadDir(uploadId);
            var temp = Path.Combine(dir, $".tmp-{Guid.NewGuid():N}");
            using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
            long written = 0;
            try
            {
                await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
                {
                    var buffer = new byte[1 << 16];
                    int read;
                    while ((read = await http.Request.Body.ReadAsync(buffer, http.RequestAborted)) > 0)
                    {
                        md5.AppendData(buffer, 0, read);
                        await file.WriteAsync(buffer.AsMemory(0, read), http.RequestAborted);
                        written += read;
                    }

                    file.Flush(flushToDisk: true);
                }

                if (written != expected)
                {
                    throw HubException.BadRequest($"part {n} has {written} bytes, expected {expected}");
                }

                var etag = $"\"{Convert.ToHexStringLower(md5.GetHashAndReset())}\"";
                File.Move(temp, PartPath(dir, n), overwrite: true);
                await File.WriteAllTextAsync(PartPath(dir, n) + ".etag", etag);
                http.Response.Headers.ETag = etag;
                return Results.Ok();
            }
            finally
            {
                if (File.Exists(temp))
                {
                    File.Delete(temp);
                }
            }
        });

        app.MapPost("/lfs/complete/{uploadId}", async (HttpContext http, string uploadId) =>
        {
            if (!hub.Signer.Verify($"complete:{uploadId}", http.Request.Query["exp"], http.Request.Query["sig"]))
            {
                throw new HubException(403, "invalid or expired completion URL");
            }

            var meta = await Meta(hub, uploadId);
            var completion = LfsMultipartCompletion.Read(await HubContext.ReadJsonAsync(http.Request));
            if (completion.Oid != meta.Oid)
            {
                throw HubException.BadRequest("oid does not match the upload");
            }

            var dir = hub.Store.UploadDir(uploadId);
            var parts = completion.Parts.Select(p => (Number: p.PartNumber, p.ETag)).OrderBy(p => p.Number).ToList();
            if (parts.Count != meta.Parts || parts.Select(p => p.Number).Distinct().Count() != meta.Parts || parts.Any(p => p.Number < 1 || p.Number > meta.Parts))
            {
                throw HubException.BadRequest($"expected parts 1..{meta.Parts}");
            }

            foreach (var (number, etag) in parts)
            {
                var path = PartPath(dir, number);
                if (!File.Exists(path) || (await File.ReadAllTextAsync(path + ".etag")) != etag)
                {
                    throw HubException.BadRequest($"part {number} is missing or its ETag does not match");
                }
            }

            hub.Store.AssembleObject(meta.Oid, meta.Size, parts.Select(p => PartPath(dir, p.Number)).ToList());
            hub.Store.Hold(SignedRepo(meta.Repo), meta.Oid);
            Directory.Delete(dir, recursive: true);
            return HubContext.JsonResponse(new LfsObject(meta.Oid, meta.Size).ToJson());
        });
    }

    /// <summary>One object of a batch: refused, already stored, or signed URLs for a basic or multipart upload.</summary>
    /// <param name="mayUse">The caller may refer to this object if it is stored (see <see cref="HubContext.MayUseObject"/>);
    /// otherwise it must upload the bytes, even if the server has them, so that a SHA-256 alone reveals nothing.</param>
    private static async Task<LfsObjectResult> AnswerAsync(HubContext hub, string baseUrl, RepoId id, LfsObject requested, LfsAction verify, bool mayUse)
    {
        var (oid, size) = requested;
        if (!requested.IsWellFormed)
        {
            return LfsObjectResult.Failed(requested, 422, "oid must be a lowercase sha256 and size a non-negative integer");
        }

        if (size > hub.Options.MaxObjectBytes)
        {
            return LfsObjectResult.Failed(requested, 422, $"object larger than the server's limit of {hub.Options.MaxObjectBytes} bytes");
        }

        if (mayUse && hub.Store.ObjectSize(oid) == size)
        {
            return new LfsObjectResult(oid, size);
        }

        var repo = RepoKey(id);
        if (size <= hub.Options.MultipartThreshold)
        {
            var (exp, sig) = hub.Signer.Sign($"upload:{repo}:{oid}:{size}");
            return new LfsObjectResult(oid, size, new LfsAction($"{baseUrl}/lfs/upload/{oid}?size={size}&repo={Uri.EscapeDataString(repo)}&exp={exp}&sig={sig}", new Dictionary<string, string>()), verify);
        }

        // At most 10,000 parts per object, as S3 (and so the Hub) allows: large objects get larger parts.
        var chunk = Math.Max(hub.Options.MultipartChunkSize, (size + MaxParts - 1) / MaxParts);
        var parts = (int)((size + chunk - 1) / chunk);
        var uploadId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        Directory.CreateDirectory(hub.Store.UploadDir(uploadId));
        await File.WriteAllTextAsync(Path.Combine(hub.Store.UploadDir(uploadId), "meta.json"), JsonSerializer.Serialize(new UploadMeta(oid, size, chunk, parts, repo), ServerJsonContext.Default.UploadMeta));
        var partUrls = Enumerable.Range(1, parts).Select(n =>
        {
            var (exp, sig) = hub.Signer.Sign($"part:{uploadId}:{n}");
            return $"{baseUrl}/lfs/part/{uploadId}/{n}?exp={exp}&sig={sig}";
        }).ToList();
        var (cexp, csig) = hub.Signer.Sign($"complete:{uploadId}");
        return new LfsObjectResult(oid, size, LfsAction.Multipart($"{baseUrl}/lfs/complete/{uploadId}?exp={cexp}&sig={csig}", chunk, partUrls), verify);
    }

    private static string PartPath(string dir, int n) => Path.Combine(dir, n.ToString("D5", CultureInfo.InvariantCulture) + ".part");

    private static async Task<UploadMeta> Meta(HubContext hub, string uploadId)
    {
        if (!Regex.IsMatch(uploadId, "^[0-9a-f]{32}$"))
        {
            throw new HubException(404, "unknown upload");
        }

        var file = Path.Combine(hub.Store.UploadDir(uploadId), "meta.json");
        return File.Exists(file)
            ? JsonSerializer.Deserialize(await File.ReadAllTextAsync(file), ServerJsonContext.Default.UploadMeta)!
            : throw new HubException(404, "unknown or completed upload");
    }

    /// <summary>The repo an upload is for, as signed into its URLs: <c>{type segment}/{namespace}/{name}</c>.</summary>
    private static string RepoKey(RepoId id) => $"{id.ApiSegment}/{id.Namespace}/{id.Name}";

    private static RepoId SignedRepo(string key)
    {
        var parts = key.Split('/');
        return parts.Length == 3 && RepoId.TypeFromSegment(parts[0]) is { } type
            ? new RepoId(type, parts[1], parts[2])
            : throw new HubException(403, "invalid upload URL");
    }

    internal sealed record UploadMeta(string Oid, long Size, long Chunk, int Parts, string Repo);
}
