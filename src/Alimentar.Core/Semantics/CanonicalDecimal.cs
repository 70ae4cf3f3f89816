using System.Globalization;

namespace Alimentar.Semantics;

/// <summary>
/// Decimal numbers as (sign, significant digits, exponent) with no leading or trailing zeros, so that every
/// spelling of a value ("1.50", "1.5", "15e-1") and every stored form (a double, a decimal's unscaled integer and
/// scale) meets in one representation.
/// </summary>
internal static class CanonicalDecimal
{
    private static readonly double[] ExactPowers = Enumerable.Range(0, 23).Select(e => Math.Pow(10, e)).ToArray();

    /// <summary>JSON's number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?.</summary>
    public static bool TryParse(ReadOnlySpan<byte> s, Span<byte> digits, out bool negative, out int count, out int exponent)
    {
        negative = false;
        count = 0;
        exponent = 0;
        var i = 0;
        if (i < s.Length && s[i] == '-')
        {
            negative = true;
            i++;
        }

        if (i >= s.Length || !char.IsAsciiDigit((char)s[i]) || (s[i] == '0' && i + 1 < s.Length && char.IsAsciiDigit((char)s[i + 1])))
        {
            return false;
        }

        for (; i < s.Length && char.IsAsciiDigit((char)s[i]); i++)
        {
            if (count == 0 && s[i] == '0')
            {
                continue;
            }

            if (count == digits.Length)
            {
                return false;
            }

            digits[count++] = s[i];
        }

        if (i < s.Length && s[i] == '.')
        {
            i++;
            var start = i;
            for (; i < s.Length && char.IsAsciiDigit((char)s[i]); i++)
            {
                exponent--;
                if (count == 0 && s[i] == '0')
                {
                    continue;
                }

                if (count == digits.Length)
                {
                    return false;
                }

                digits[count++] = s[i];
            }

            if (i == start)
            {
                return false;
            }
        }

        if (i < s.Length && s[i] is (byte)'e' or (byte)'E')
        {
            i++;
            var sign = 1;
            if (i < s.Length && s[i] is (byte)'+' or (byte)'-')
            {
                sign = s[i] == '-' ? -1 : 1;
                i++;
            }

            var start = i;
            var value = 0;
            for (; i < s.Length && char.IsAsciiDigit((char)s[i]); i++)
            {
                if (i - start >= 6)
                {
                    return false;
                }

                value = (value * 10) + (s[i] - '0');
            }

            if (i == start)
            {
                return false;
            }

            exponent += sign * value;
        }

        if (i != s.Length)
        {
            return false;
        }

        count = Normalize(digits[..count], ref exponent);
        if (count == 0)
        {
            negative = false;
            exponent = 0;
        }

        return true;
    }

    /// <summary>Drops trailing zeros (raising the exponent) and leading zeros; returns the digit count.</summary>
    public static int Normalize(Span<byte> digits, ref int exponent)
    {
        var start = 0;
        while (start < digits.Length && digits[start] == '0')
        {
            start++;
        }

        var end = digits.Length;
        while (end > start && digits[end - 1] == '0')
        {
            end--;
            exponent++;
        }

        if (start > 0)
        {
            digits[start..end].CopyTo(digits);
        }

        return end - start;
    }

    /// <summary>The double nearest the value.</summary>
    public static double ToDouble(bool negative, ReadOnlySpan<byte> digits, int exponent)
    {
        // Up to 15 digits and a power of ten that doubles hold exactly: one correctly rounded operation (Clinger's fast path).
        if (digits.Length <= 15 && exponent is >= -22 and <= 22)
        {
            long mantissa = 0;
            foreach (var d in digits)
            {
                mantissa = (mantissa * 10) + (d - '0');
            }

            var value = exponent >= 0 ? mantissa * ExactPowers[exponent] : mantissa / ExactPowers[-exponent];
            return negative ? -value : value;
        }

        Span<byte> text = stackalloc byte[digits.Length + 16];
        var n = 0;
        if (negative)
        {
            text[n++] = (byte)'-';
        }

        digits.CopyTo(text[n..]);
        n += digits.Length;
        text[n++] = (byte)'E';
        exponent.TryFormat(text[n..], out var written, provider: CultureInfo.InvariantCulture);
        n += written;
        return double.TryParse(text[..n], NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : double.NaN;
    }

    /// <summary>True when the double's shortest round-trip digits are exactly the value's.</summary>
    public static bool RoundTrips(double value, bool negative, ReadOnlySpan<byte> digits, int exponent)
    {
        if (digits.IsEmpty)
        {
            return value == 0;
        }

        if (digits.Length <= 15 && digits.Length + exponent is > -300 and < 300)
        {
            // Fifteen significant digits survive a trip through a double (DBL_DIG), away from subnormals and overflow.
            return true;
        }

        Span<byte> shortest = stackalloc byte[40];
        if (!value.TryFormat(shortest, out var written, "R", CultureInfo.InvariantCulture))
        {
            return false;
        }

        Span<byte> back = stackalloc byte[40];
        return TryParse(shortest[..written], back, out var backNegative, out var backCount, out var backExponent)
            && backNegative == negative && backExponent == exponent && back[..backCount].SequenceEqual(digits);
    }

    /// <summary>The canonical spelling of a number for canonical JSON.</summary>
    public static string Spell(bool negative, ReadOnlySpan<byte> digits, int exponent)
    {
        if (digits.IsEmpty)
        {
            return "0";
        }

        var sign = negative ? "-" : string.Empty;
        var text = System.Text.Encoding.ASCII.GetString(digits);
        if (exponent >= 0 && digits.Length + exponent <= 19)
        {
            return sign + text + new string('0', exponent);
        }

        var value = ToDouble(negative, digits, exponent);
        if (double.IsFinite(value) && RoundTrips(value, negative, digits, exponent))
        {
            return value.ToString("R", CultureInfo.InvariantCulture);
        }

        return sign + text + "E" + exponent.ToString(CultureInfo.InvariantCulture);
    }
}
