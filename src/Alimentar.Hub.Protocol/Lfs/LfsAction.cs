using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Alimentar.Hub.Lfs;

/// <summary>
/// Where to send an object (<c>upload</c>) or confirm it (<c>verify</c>). For a multipart upload the header holds
/// <c>chunk_size</c> and one URL per part under its number (<c>"00001"</c>...), and <see cref="Href"/> is the
/// completion URL: the shape huggingface_hub's <c>lfs._upload_multi_part</c> reads.
/// </summary>
public sealed record LfsAction(string Href, IReadOnlyDictionary<string, string> Header)
{
    private const string ChunkSizeKey = "chunk_size";

    public static LfsAction Multipart(string completionHref, long chunkSize, IReadOnlyList<string> partUrls)
    {
        var header = new Dictionary<string, string> { [ChunkSizeKey] = chunkSize.ToString(CultureInfo.InvariantCulture) };
        for (var i = 0; i < partUrls.Count; i++)
        {
            header[(i + 1).ToString("D5", CultureInfo.InvariantCulture)] = partUrls[i];
        }

        return new LfsAction(completionHref, header);
    }

    /// <summary>The part size when this is a multipart upload, else null.</summary>
    public long? ChunkSize => Header.TryGetValue(ChunkSizeKey, out var chunk) && long.TryParse(chunk, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) && bytes > 0 ? bytes : null;

    /// <summary>The part URLs in part order (keys that are all digits, as the client reads them).</summary>
    public IReadOnlyList<(int Number, string Url)> Parts => Header
        .Where(p => p.Key.Length is > 0 and < 10 && p.Key.All(char.IsAsciiDigit))
        .Select(p => (Number: int.Parse(p.Key, CultureInfo.InvariantCulture), Url: p.Value))
        .OrderBy(p => p.Number)
        .ToList();

    public JsonObject ToJson() => new()
    {
        ["href"] = Href,
        ["header"] = new JsonObject(Header.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)JsonValue.Create(p.Value)))),
    };

    /// <exception cref="FormatException">No <c>href</c>.</exception>
    public static LfsAction Read(JsonElement action)
    {
        var href = JsonText.Property(action, "href") ?? throw new FormatException("an LFS action needs an href");

        var header = new Dictionary<string, string>(StringComparer.Ordinal);
        if (action.TryGetProperty("header", out var h) && h.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in h.EnumerateObject())
            {
                // The Hub sends chunk_size as a string, other servers as a number.
                header[JsonText.Name(property)] = JsonText.Of(property.Value) ?? property.Value.GetRawText();
            }
        }

        return new LfsAction(href, header);
    }
}
