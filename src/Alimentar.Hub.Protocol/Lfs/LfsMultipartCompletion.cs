using System.Text.Json;
using System.Text.Json.Nodes;

namespace Alimentar.Hub.Lfs;

/// <summary>One uploaded part: its 1-based number and the ETag the storage answered with.</summary>
public sealed record LfsPart(int PartNumber, string ETag);

/// <summary>
/// The body POSTed to a multipart upload's completion URL once every part is stored: the object id and each part's
/// ETag, as huggingface_hub's <c>_get_completion_payload</c> writes it.
/// </summary>
public sealed record LfsMultipartCompletion(string Oid, IReadOnlyList<LfsPart> Parts)
{
    public JsonObject ToJson() => new()
    {
        ["oid"] = Oid,
        ["parts"] = new JsonArray(Parts.Select(p => (JsonNode?)new JsonObject { ["partNumber"] = p.PartNumber, ["etag"] = p.ETag }).ToArray()),
    };

    /// <exception cref="FormatException">No oid, or a part without a number or an ETag.</exception>
    public static LfsMultipartCompletion Read(JsonElement body)
    {
        if (JsonText.Property(body, "oid") is not { } oid || !body.TryGetProperty("parts", out var parts) || parts.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("the completion body needs an 'oid' and a 'parts' list");
        }

        var read = new List<LfsPart>();
        foreach (var part in parts.EnumerateArray())
        {
            if (part.ValueKind != JsonValueKind.Object
                || !part.TryGetProperty("partNumber", out var number) || number.ValueKind != JsonValueKind.Number || !number.TryGetInt32(out var n)
                || JsonText.Property(part, "etag") is not { } etag)
            {
                throw new FormatException("each part needs a 'partNumber' and an 'etag'");
            }

            read.Add(new LfsPart(n, etag));
        }

        return new LfsMultipartCompletion(oid, read);
    }
}
