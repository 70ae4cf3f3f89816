using System.Buffers.Text;

namespace Alimentar.Semantics;

/// <summary>
/// Turning text into the column's dominant value class. Two strengths: <em>lossless typing</em> (a text column
/// read from CSV or JSON becomes a typed column only when every value converts back to the same text: "007" stays
/// text, or zip codes would lose their zeros) and <em>coercion</em> (<c>clean --validate-types</c>: any value
/// that denotes a number of the class converts, the rest become missing).
/// </summary>
public static class ValueCoercion
{
    /// <summary>-?(0|[1-9][0-9]*) within the 64-bit range: the text an integer writes itself as.</summary>
    public static bool TryCanonicalInteger(ReadOnlySpan<byte> value, out long result)
    {
        result = 0;
        var digits = value.Length > 0 && value[0] == '-' ? value[1..] : value;
        if (digits.IsEmpty || digits.Length > 19 || (digits[0] == '0' && digits.Length > 1) || (digits[0] == '0' && value.Length != digits.Length))
        {
            return false;
        }

        foreach (var b in digits)
        {
            if ((uint)(b - '0') > 9)
            {
                return false;
            }
        }

        return Utf8Parser.TryParse(value, out result, out var consumed) && consumed == value.Length;
    }

    /// <summary>
    /// A number in JSON's grammar (plain or exponent notation; no '+', no redundant leading zeros, no NaN or Infinity)
    /// that a double holds to every digit written: text that is a number as written, not an identifier that looks
    /// like one, and not a decimal a double would round ("0.1000000000000000000001" stays text).
    /// </summary>
    public static bool TryPlainDouble(ReadOnlySpan<byte> value, out double result)
    {
        result = 0;
        Span<byte> digits = stackalloc byte[CellIdentity.MaxDigits];
        if (!CanonicalDecimal.TryParse(value, digits, out var negative, out var count, out var exponent))
        {
            return false;
        }

        var parsed = CanonicalDecimal.ToDouble(negative, digits[..count], exponent);
        if (!double.IsFinite(parsed) || !CanonicalDecimal.RoundTrips(parsed, negative, digits[..count], exponent))
        {
            return false;
        }

        result = parsed;
        return true;
    }

    /// <summary>true/false in any case.</summary>
    public static bool TryBoolean(ReadOnlySpan<byte> value, out bool result)
    {
        if (System.Text.Ascii.EqualsIgnoreCase(value, "true"u8))
        {
            result = true;
            return true;
        }

        result = false;
        return System.Text.Ascii.EqualsIgnoreCase(value, "false"u8);
    }

    /// <summary>Coercion to an integer: integer text (signs and leading zeros allowed) or a decimal with no fraction ("3.0").</summary>
    public static bool TryCoerceInteger(ReadOnlySpan<byte> trimmed, out long result)
    {
        if (Utf8Parser.TryParse(trimmed, out result, out var consumed) && consumed == trimmed.Length)
        {
            return true;
        }

        if (Utf8Parser.TryParse(trimmed, out double d, out consumed) && consumed == trimmed.Length && double.IsFinite(d)
            && Math.Floor(d) == d && d >= long.MinValue && d < 9.2233720368547758E18)
        {
            result = (long)d;
            return true;
        }

        return false;
    }

    /// <summary>Coercion to a finite floating-point number.</summary>
    public static bool TryCoerceDouble(ReadOnlySpan<byte> trimmed, out double result) =>
        Utf8Parser.TryParse(trimmed, out result, out var consumed) && consumed == trimmed.Length && double.IsFinite(result);
}
