using System.Text;

namespace Alimentar.Semantics;

/// <summary>
/// The quality model's one definition of a missing text cell: empty or whitespace-only after trimming the Unicode
/// White_Space set (so no-break spaces count), or equal to a null token, compared case-insensitively after trimming.
/// Nulls and NaN are decided by the readers' types; this covers everything that is text.
/// </summary>
public static class MissingCell
{
    /// <summary>Trims Unicode White_Space from both ends of UTF-8 bytes. ASCII edges cost one comparison each.</summary>
    public static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> value)
    {
        var start = 0;
        var end = value.Length;
        while (start < end)
        {
            var b = value[start];
            if (b < 0x80)
            {
                if (!IsAsciiSpace(b))
                {
                    break;
                }

                start++;
                continue;
            }

            if (Rune.DecodeFromUtf8(value[start..end], out var rune, out var consumed) != System.Buffers.OperationStatus.Done || !Rune.IsWhiteSpace(rune))
            {
                break;
            }

            start += consumed;
        }

        while (end > start)
        {
            var b = value[end - 1];
            if (b < 0x80)
            {
                if (!IsAsciiSpace(b))
                {
                    break;
                }

                end--;
                continue;
            }

            if (Rune.DecodeLastFromUtf8(value[start..end], out var rune, out var consumed) != System.Buffers.OperationStatus.Done || !Rune.IsWhiteSpace(rune))
            {
                break;
            }

            end -= consumed;
        }

        return value[start..end];
    }

    /// <summary>True when a text cell is missing under <paramref name="tokens"/>.</summary>
    public static bool IsMissing(ReadOnlySpan<byte> raw, NullTokenSet tokens)
    {
        var trimmed = Trim(raw);
        return trimmed.IsEmpty || tokens.Matches(trimmed);
    }

    private static bool IsAsciiSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0B or 0x0C;
}
