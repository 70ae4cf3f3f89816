using System.Text.Json;
using System.Text.Json.Nodes;

namespace Alimentar.Hub.Lfs;

/// <summary>
/// <c>POST {repo}.git/info/lfs/objects/batch</c> (hub-protocol.md §5): which objects a client wants to upload,
/// written by the client and read by the server from this one definition.
/// </summary>
/// <param name="Ref">The branch the objects are for; null for a pull request (as huggingface_hub sends it).</param>
public sealed record LfsBatchRequest(string Operation, IReadOnlyList<string> Transfers, string? Ref, IReadOnlyList<LfsObject> Objects)
{
    public const string MediaType = "application/vnd.git-lfs+json";
    public const string Upload = "upload";
    public const string Basic = "basic";
    public const string Multipart = "multipart";

    public static LfsBatchRequest ForUpload(string? branch, IReadOnlyList<LfsObject> objects) =>
        new(Upload, [Basic, Multipart], branch, objects);

    public JsonObject ToJson() => new()
    {
        ["operation"] = Operation,
        ["transfers"] = new JsonArray(Transfers.Select(t => (JsonNode?)JsonValue.Create(t)).ToArray()),
        ["hash_algo"] = "sha256",
        ["ref"] = Ref is null ? null : new JsonObject { ["name"] = Ref },
        ["objects"] = new JsonArray(Objects.Select(o => (JsonNode?)o.ToJson()).ToArray()),
    };

    /// <summary>Reads a request body; entries are kept as sent (see <see cref="LfsObject.IsWellFormed"/>).</summary>
    /// <exception cref="FormatException">The body is not an object or has no <c>objects</c> list; the message says which.</exception>
    public static LfsBatchRequest Read(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("the batch request must be a JSON object");
        }

        if (!body.TryGetProperty("objects", out var objects) || objects.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("'objects' must be a list of {oid, size}");
        }

        var operation = JsonText.Property(body, "operation") ?? Upload;
        var transfers = body.TryGetProperty("transfers", out var t) && t.ValueKind == JsonValueKind.Array
            ? t.EnumerateArray().Select(JsonText.Of).OfType<string>().ToList()
            : [Basic];
        var reference = body.TryGetProperty("ref", out var r) ? JsonText.Property(r, "name") : null;
        return new LfsBatchRequest(operation, transfers, reference, objects.EnumerateArray().Select(LfsObject.Read).ToList());
    }
}
