using System.Globalization;
using System.Text;

namespace Alimentar.Quality.Accumulators;

/// <summary>
/// A cell's value as a finding shows it: quoted, so stray whitespace is visible; control characters, invalid UTF-8
/// (U+FFFD), zero-width characters and the BOM escaped, so a report or a terminal shows what is there instead of
/// acting on it; cut at <see cref="MaxLength"/> characters.
/// </summary>
public static class SampleValue
{
    public const int MaxLength = 40;

    /// <summary>The most bytes <see cref="MaxLength"/> characters can take in UTF-8: a sample keeps no more.</summary>
    public const int MaxBytes = MaxLength * 4;

    public static string Of(ReadOnlySpan<byte> utf8)
    {
        var text = Encoding.UTF8.GetString(utf8.Length > MaxBytes ? utf8[..MaxBytes] : utf8);
        var shown = new StringBuilder("'");
        var count = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (count++ == MaxLength)
            {
                shown.Append('…');
                break;
            }

            var value = rune.Value;
            shown.Append(value switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\'' => "\\'",
                '\\' => "\\\\",
                < 0x20 or 0x7F or (>= 0x80 and < 0xA0) or 0xFEFF or 0xFFFD or (>= 0x200B and <= 0x200F) or 0x2028 or 0x2029
                    => value <= 0xFFFF ? $"\\u{value.ToString("X4", CultureInfo.InvariantCulture)}" : rune.ToString(),
                _ => rune.ToString(),
            });
        }

        return shown.Append('\'').ToString();
    }
}
