using System.Text.Json;
using System.Text.Json.Nodes;

namespace Alimentar.Hub.Lfs;

/// <summary>
/// An object named by its SHA-256 and size: an entry of a batch request, and the body of the verify call.
/// <see cref="Size"/> is -1 when the sender gave no non-negative integer, so that the server can answer for that
/// object alone instead of refusing the batch.
/// </summary>
public sealed record LfsObject(string Oid, long Size)
{
    /// <summary>A lowercase SHA-256 and a non-negative size: what the batch API accepts.</summary>
    public bool IsWellFormed => Repos.GitObjects.IsSha256(Oid) && Size >= 0;

    public JsonObject ToJson() => new() { ["oid"] = Oid, ["size"] = Size };

    public static LfsObject Read(JsonElement item) => new(
        JsonText.Property(item, "oid") ?? string.Empty,
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty("size", out var size) && size.ValueKind == JsonValueKind.Number && size.TryGetInt64(out var bytes) && bytes >= 0 ? bytes : -1);
}
