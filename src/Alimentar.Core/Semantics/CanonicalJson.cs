using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Alimentar.Semantics;

/// <summary>
/// One spelling of a JSON value: compact, strings and names escaped one way, numbers by exact value
/// (<see cref="CanonicalDecimal.Spell"/>), member order as written. A nested Parquet or Arrow value written as JSON
/// and the same value read from a JSON or CSV file meet here.
/// </summary>
internal static class CanonicalJson
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    public static bool TryCanonicalize(ReadOnlySpan<byte> json, out ReadOnlySpan<byte> canonical)
    {
        var buffer = new ArrayBufferWriter<byte>(json.Length + 16);
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
            using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            {
                Span<byte> digits = stackalloc byte[CellIdentity.MaxDigits];
                while (reader.Read())
                {
                    switch (reader.TokenType)
                    {
                        case JsonTokenType.StartObject:
                            writer.WriteStartObject();
                            break;
                        case JsonTokenType.EndObject:
                            writer.WriteEndObject();
                            break;
                        case JsonTokenType.StartArray:
                            writer.WriteStartArray();
                            break;
                        case JsonTokenType.EndArray:
                            writer.WriteEndArray();
                            break;
                        case JsonTokenType.PropertyName:
                            writer.WritePropertyName(reader.GetString()!);
                            break;
                        case JsonTokenType.String:
                            writer.WriteStringValue(reader.GetString());
                            break;
                        case JsonTokenType.Number:
                            {
                                var raw = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan;
                                var spelled = CanonicalDecimal.TryParse(raw, digits, out var negative, out var count, out var exponent)
                                    ? CanonicalDecimal.Spell(negative, digits[..count], exponent)
                                    : System.Text.Encoding.UTF8.GetString(raw);
                                writer.WriteRawValue(spelled, skipInputValidation: true);
                                break;
                            }

                        case JsonTokenType.True:
                            writer.WriteBooleanValue(true);
                            break;
                        case JsonTokenType.False:
                            writer.WriteBooleanValue(false);
                            break;
                        case JsonTokenType.Null:
                            writer.WriteNullValue();
                            break;
                        default:
                            break;
                    }
                }
            }
        }
        catch (JsonException)
        {
            canonical = default;
            return false;
        }

        canonical = buffer.WrittenSpan;
        return true;
    }
}
