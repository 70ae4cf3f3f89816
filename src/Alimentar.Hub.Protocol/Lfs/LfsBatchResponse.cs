using System.Text.Json;
using System.Text.Json.Nodes;

namespace Alimentar.Hub.Lfs;

/// <summary>The server's answer for one object: an error, nothing to do (already stored), or where to upload it.</summary>
public sealed record LfsObjectResult(string Oid, long Size, LfsAction? Upload = null, LfsAction? Verify = null, LfsObjectError? Error = null)
{
    public bool AlreadyStored => Error is null && Upload is null;

    public static LfsObjectResult Failed(LfsObject requested, int code, string message) =>
        new(requested.Oid, Math.Max(requested.Size, 0), Error: new LfsObjectError(code, message));
}

/// <summary>Why the server refused one object of a batch.</summary>
public sealed record LfsObjectError(int Code, string Message);

/// <summary>The answer to an <see cref="LfsBatchRequest"/>, written by the server and read by the client.</summary>
public sealed record LfsBatchResponse(IReadOnlyList<LfsObjectResult> Objects, string Transfer = LfsBatchRequest.Basic)
{
    public JsonObject ToJson() => new()
    {
        ["transfer"] = Transfer,
        ["objects"] = new JsonArray(Objects.Select(o =>
        {
            var item = new JsonObject { ["oid"] = o.Oid, ["size"] = o.Size };
            if (o.Error is { } error)
            {
                item["error"] = new JsonObject { ["code"] = error.Code, ["message"] = error.Message };
            }
            else if (o.Upload is not null)
            {
                item["authenticated"] = true;
                var actions = new JsonObject { ["upload"] = o.Upload.ToJson() };
                if (o.Verify is not null)
                {
                    actions["verify"] = o.Verify.ToJson();
                }

                item["actions"] = actions;
            }

            return (JsonNode?)item;
        }).ToArray()),
    };

    /// <exception cref="FormatException">Not the batch shape; the message says what is missing.</exception>
    public static LfsBatchResponse Read(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("objects", out var objects) || objects.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("the LFS batch answer has no 'objects' list");
        }

        var results = new List<LfsObjectResult>();
        foreach (var item in objects.EnumerateArray())
        {
            var requested = LfsObject.Read(item);
            if (item.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                var code = error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number && c.TryGetInt32(out var n) ? n : 0;
                var message = JsonText.Property(error, "message") ?? "no message";
                results.Add(LfsObjectResult.Failed(requested, code, message));
                continue;
            }

            LfsAction? upload = null, verify = null;
            if (item.TryGetProperty("actions", out var actions) && actions.ValueKind == JsonValueKind.Object)
            {
                upload = actions.TryGetProperty("upload", out var u) ? LfsAction.Read(u) : null;
                verify = actions.TryGetProperty("verify", out var v) ? LfsAction.Read(v) : null;
            }

            results.Add(new LfsObjectResult(requested.Oid, requested.Size, upload, verify));
        }

        var transfer = JsonText.Property(body, "transfer") ?? LfsBatchRequest.Basic;
        return new LfsBatchResponse(results, transfer);
    }
}
