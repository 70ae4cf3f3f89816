using System.Buffers.Text;
using System.Globalization;
using System.Numerics;
using Alimentar.Hashing;

namespace Alimentar.Semantics;

/// <summary>
/// The model's one definition of a cell's identity, the unit of the canonical row: a value is identified by what
/// it is, not by the reader that decoded it. A CSV cannot tell the string "1" from the integer 1, an empty field from
/// a null, or a decimal(10,3) 1.250 from the double 1.25, so neither can identity: the same table read from Parquet,
/// Arrow IPC, CSV or JSON gives the same cell identities.
/// <list type="bullet">
/// <item>Numbers by exact value: integers in the 64-bit range (including integral doubles and decimals) as integers;
/// other values a double holds exactly as that double; decimals beyond a double's precision by their exact digits.</item>
/// <item>Dates, timestamps and times by the instant (or wall-clock time) they denote, whatever the unit; timestamps
/// with a zone are instants and differ from zoneless ones.</item>
/// <item>Nested values (lists, structs, maps, JSON objects and arrays) by their canonical JSON.</item>
/// <item>Text by its bytes, unless it spells one of the above: a plain number, true/false, an ISO 8601 date or
/// timestamp, a JSON object or array. The empty string is a null.</item>
/// </list>
/// </summary>
public static class CellIdentity
{
    private const long NanosPerDay = 86_400_000_000_000L;

    public static UInt128 Null => CellHash.Null;

    /// <summary>A binary double: integral values in the 64-bit range are integers; NaN equals NaN, -0 equals 0.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static UInt128 Number(double value) =>
        value >= -9.2233720368547758E18 && value < 9.2233720368547758E18 && Math.Truncate(value) == value
            ? CellHash.Integer((long)value)
            : CellHash.Float(value);

    /// <summary>A decimal given as its unscaled integer and scale.</summary>
    public static UInt128 Decimal(BigInteger unscaled, int scale)
    {
        if (scale == 0 && unscaled >= long.MinValue && unscaled <= long.MaxValue)
        {
            return CellHash.Integer((long)unscaled);
        }

        var digits = BigInteger.Abs(unscaled).ToString(CultureInfo.InvariantCulture);
        return OfDigits(unscaled.Sign < 0, digits, -scale);
    }

    /// <summary>A decimal whose unscaled value fits 64 bits (the common case: precision up to 18).</summary>
    public static UInt128 Decimal(long unscaled, int scale)
    {
        if (scale is >= 0 and <= 18)
        {
            var divisor = Pow10[scale];
            if (unscaled % divisor == 0)
            {
                return CellHash.Integer(unscaled / divisor);
            }
        }

        return Decimal(new BigInteger(unscaled), scale);
    }

    /// <summary>A date, timestamp, time of day or duration stored as a count of units.</summary>
    public static UInt128 Temporal(TemporalKind kind, long value, long nanosPerUnit) =>
        CellHash.Temporal((int)kind, (Int128)value * nanosPerUnit);

    /// <summary>A nested value given as JSON (any spelling); null when it is not valid JSON.</summary>
    public static UInt128? Nested(ReadOnlySpan<byte> json) =>
        CanonicalJson.TryCanonicalize(json, out var canonical) ? CellHash.Nested(canonical) : null;

    /// <summary>A cell read as text: by what it spells (see the type summary).</summary>
    public static UInt128 OfText(ReadOnlySpan<byte> utf8) => TrySpelled(utf8, out var identity) ? identity : CellHash.Text(utf8);

    /// <summary>The same, for a caller that already has the text's hash (<see cref="CellHash.Text"/>).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static UInt128 OfText(ReadOnlySpan<byte> utf8, UInt128 textHash) => MaySpell(utf8) && TrySpelled(utf8, out var identity) ? identity : textHash;

    // Prose starts with a letter other than these, so most text is settled by one comparison.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static bool MaySpell(ReadOnlySpan<byte> utf8) =>
        utf8.IsEmpty || (uint)(utf8[0] - '0') <= 9 || utf8[0] is (byte)'-' or (byte)'{' or (byte)'[' or (byte)'t' or (byte)'T' or (byte)'f' or (byte)'F' or (byte)'n' or (byte)'N' or (byte)'i' or (byte)'I';

    /// <summary>True when the text spells a null, number, boolean, date, time or JSON value; its identity then.</summary>
    private static bool TrySpelled(ReadOnlySpan<byte> utf8, out UInt128 identity)
    {
        identity = default;
        if (utf8.IsEmpty)
        {
            identity = CellHash.Null;
            return true;
        }

        var first = utf8[0];
        if (char.IsAsciiDigit((char)first) || first == '-')
        {
            if (ValueCoercion.TryCanonicalInteger(utf8, out var integer))
            {
                identity = CellHash.Integer(integer);
                return true;
            }

            return TryNumber(utf8, out identity) || TryTemporal(utf8, out identity) || (utf8.Length is 4 or 9 && TryNonFinite(utf8, out identity));
        }

        switch (first)
        {
            case (byte)'t' or (byte)'T' or (byte)'f' or (byte)'F' when utf8.Length is 4 or 5 && ValueCoercion.TryBoolean(utf8, out var boolean):
                identity = CellHash.Boolean(boolean);
                return true;
            case (byte)'{' or (byte)'[' when Nested(utf8) is { } nested:
                identity = nested;
                return true;
            case (byte)'N' or (byte)'n' or (byte)'I' or (byte)'i' when utf8.Length is 3 or 8:
                return TryNonFinite(utf8, out identity);
            default:
                return false;
        }
    }

    /// <summary>A JSON number's text (or a plain number written as text) by its exact value.</summary>
    public static bool TryNumber(ReadOnlySpan<byte> text, out UInt128 identity)
    {
        Span<byte> digits = stackalloc byte[MaxDigits];
        if (!CanonicalDecimal.TryParse(text, digits, out var negative, out var count, out var exponent))
        {
            identity = default;
            return false;
        }

        identity = OfDigits(negative, digits[..count], exponent);
        return true;
    }

    internal const int MaxDigits = 64;

    private static readonly long[] Pow10 = Enumerable.Range(0, 19).Select(e => (long)Math.Pow(10, e)).ToArray();

    private static UInt128 OfDigits(bool negative, string digits, int exponent)
    {
        Span<byte> buffer = stackalloc byte[digits.Length];
        for (var i = 0; i < digits.Length; i++)
        {
            buffer[i] = (byte)digits[i];
        }

        var count = CanonicalDecimal.Normalize(buffer, ref exponent);
        return OfDigits(negative, buffer[..count], exponent);
    }

    /// <summary>Value = (-1)^negative x digits x 10^exponent, digits without leading or trailing zeros.</summary>
    internal static UInt128 OfDigits(bool negative, ReadOnlySpan<byte> digits, int exponent)
    {
        if (digits.IsEmpty)
        {
            return CellHash.Integer(0);
        }

        if (exponent >= 0 && digits.Length + exponent <= 19)
        {
            ulong magnitude = 0;
            var fits = true;
            foreach (var d in digits)
            {
                magnitude = (magnitude * 10) + (ulong)(d - '0');
            }

            for (var e = 0; e < exponent && fits; e++)
            {
                fits = magnitude <= ulong.MaxValue / 10;
                magnitude *= 10;
            }

            if (fits && (magnitude <= long.MaxValue || (negative && magnitude == 1UL << 63)))
            {
                return CellHash.Integer(negative ? unchecked(-(long)magnitude) : (long)magnitude);
            }
        }

        var value = CanonicalDecimal.ToDouble(negative, digits, exponent);
        if (double.IsFinite(value) && CanonicalDecimal.RoundTrips(value, negative, digits, exponent))
        {
            return Number(value);
        }

        return CellHash.ExactDecimal(negative, digits, exponent);
    }

    private static bool TryNonFinite(ReadOnlySpan<byte> utf8, out UInt128 identity)
    {
        identity = default;
        if (System.Text.Ascii.EqualsIgnoreCase(utf8, "NaN"u8))
        {
            identity = CellHash.Float(double.NaN);
        }
        else if (System.Text.Ascii.EqualsIgnoreCase(utf8, "Infinity"u8) || System.Text.Ascii.EqualsIgnoreCase(utf8, "inf"u8))
        {
            identity = CellHash.Float(double.PositiveInfinity);
        }
        else if (System.Text.Ascii.EqualsIgnoreCase(utf8, "-Infinity"u8) || System.Text.Ascii.EqualsIgnoreCase(utf8, "-inf"u8))
        {
            identity = CellHash.Float(double.NegativeInfinity);
        }
        else
        {
            return false;
        }

        return true;
    }

    /// <summary>yyyy-MM-dd; yyyy-MM-dd(T| )HH:mm:ss[.f{1,9}][Z|±HH:mm]; HH:mm:ss[.f{1,9}].</summary>
    internal static bool TryTemporal(ReadOnlySpan<byte> s, out UInt128 identity)
    {
        identity = default;
        if (s.Length >= 8 && s[2] == ':' && TryTime(s, out var timeNanos, out var timeEnd) && timeEnd == s.Length)
        {
            identity = CellHash.Temporal((int)TemporalKind.TimeOfDay, timeNanos);
            return true;
        }

        if (s.Length < 10 || s[4] != '-' || s[7] != '-'
            || !TryDigits(s[..4], out var year) || !TryDigits(s.Slice(5, 2), out var month) || !TryDigits(s.Slice(8, 2), out var day)
            || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        var days = (Int128)(new DateOnly(year, month, day).DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber);
        if (s.Length == 10)
        {
            identity = CellHash.Temporal((int)TemporalKind.Date, days * NanosPerDay);
            return true;
        }

        if (s[10] is not ((byte)'T' or (byte)' ') || !TryTime(s[11..], out var nanos, out var end))
        {
            return false;
        }

        var instant = (days * NanosPerDay) + nanos;
        var rest = s[(11 + end)..];
        if (rest.IsEmpty)
        {
            identity = CellHash.Temporal((int)TemporalKind.LocalDateTime, instant);
            return true;
        }

        if (rest.Length == 1 && rest[0] is (byte)'Z' or (byte)'z')
        {
            identity = CellHash.Temporal((int)TemporalKind.Instant, instant);
            return true;
        }

        if (rest.Length == 6 && rest[0] is (byte)'+' or (byte)'-' && rest[3] == ':'
            && TryDigits(rest.Slice(1, 2), out var hours) && TryDigits(rest.Slice(4, 2), out var minutes) && hours <= 23 && minutes <= 59)
        {
            var offset = ((hours * 60L) + minutes) * 60_000_000_000L;
            identity = CellHash.Temporal((int)TemporalKind.Instant, rest[0] == '+' ? instant - offset : instant + offset);
            return true;
        }

        return false;
    }

    private static bool TryTime(ReadOnlySpan<byte> s, out long nanos, out int end)
    {
        nanos = 0;
        end = 0;
        if (s.Length < 8 || s[2] != ':' || s[5] != ':'
            || !TryDigits(s[..2], out var h) || !TryDigits(s.Slice(3, 2), out var m) || !TryDigits(s.Slice(6, 2), out var sec)
            || h > 23 || m > 59 || sec > 59)
        {
            return false;
        }

        nanos = (((h * 60L) + m) * 60L + sec) * 1_000_000_000L;
        end = 8;
        if (s.Length > 8 && s[8] == '.')
        {
            var fraction = 0L;
            var digits = 0;
            var i = 9;
            while (i < s.Length && char.IsAsciiDigit((char)s[i]) && digits < 9)
            {
                fraction = (fraction * 10) + (s[i] - '0');
                digits++;
                i++;
            }

            if (digits == 0 || (i < s.Length && char.IsAsciiDigit((char)s[i])))
            {
                return false;
            }

            for (var d = digits; d < 9; d++)
            {
                fraction *= 10;
            }

            nanos += fraction;
            end = i;
        }

        return true;
    }

    private static bool TryDigits(ReadOnlySpan<byte> s, out int value)
    {
        value = 0;
        foreach (var b in s)
        {
            if (!char.IsAsciiDigit((char)b))
            {
                return false;
            }

            value = (value * 10) + (b - '0');
        }

        return true;
    }
}
