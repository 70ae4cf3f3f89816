namespace Alimentar.Semantics;

/// <summary>The value classes of the dominant-class rule (quality-model.md, type conformance).</summary>
public enum ValueClass
{
    Integer,
    Decimal,
    Boolean,
    DateTime,
    JsonObject,
    JsonArray,
    Text,
}

/// <summary>
/// Which class a text value belongs to, and which class dominates a column: the model's rule, written once for the
/// scanner (which counts classes), the scorer (which counts violations against the dominant one) and
/// <c>clean --validate-types</c> (which coerces to it).
/// </summary>
public static class ValueClasses
{
    public static readonly string[] DateFormatNames = ["none", "YYYY-MM-DD", "YYYY-MM-DDThh:mm[:ss]", "YYYY/MM/DD", "MM/DD/YYYY", "DD.MM.YYYY"];

    /// <summary>Classifies a trimmed value; <paramref name="dateFormat"/> is set for date/time values.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static ValueClass Classify(ReadOnlySpan<byte> v, out int dateFormat)
    {
        dateFormat = 0;
        if (v.Length == 0)
        {
            return ValueClass.Text;
        }

        var first = v[0];
        if (first == '{' && v[^1] == '}')
        {
            return ValueClass.JsonObject;
        }

        if (first == '[' && v[^1] == ']')
        {
            return ValueClass.JsonArray;
        }

        if (first is (byte)'t' or (byte)'T' or (byte)'f' or (byte)'F')
        {
            return System.Text.Ascii.EqualsIgnoreCase(v, "true"u8) || System.Text.Ascii.EqualsIgnoreCase(v, "false"u8) ? ValueClass.Boolean : ValueClass.Text;
        }

        if (!(IsDigit(first) || first is (byte)'-' or (byte)'+' or (byte)'.'))
        {
            return ValueClass.Text;
        }

        if (v.Length > 64)
        {
            return ValueClass.Text;
        }

        var number = NumberClass(v);
        if (number != ValueClass.Text)
        {
            return number;
        }

        dateFormat = DateFormatOf(v);
        return dateFormat > 0 ? ValueClass.DateTime : ValueClass.Text;
    }

    private static ValueClass NumberClass(ReadOnlySpan<byte> v)
    {
        var i = 0;
        if (v[0] is (byte)'-' or (byte)'+')
        {
            i++;
        }

        var digits = 0;
        while (i < v.Length && IsDigit(v[i]))
        {
            i++;
            digits++;
        }

        if (i == v.Length)
        {
            return digits > 0 ? ValueClass.Integer : ValueClass.Text;
        }

        var fraction = 0;
        if (v[i] == '.')
        {
            i++;
            while (i < v.Length && IsDigit(v[i]))
            {
                i++;
                fraction++;
            }
        }

        if (digits + fraction == 0)
        {
            return ValueClass.Text;
        }

        if (i < v.Length && v[i] is (byte)'e' or (byte)'E')
        {
            i++;
            if (i < v.Length && v[i] is (byte)'-' or (byte)'+')
            {
                i++;
            }

            var exponent = 0;
            while (i < v.Length && IsDigit(v[i]))
            {
                i++;
                exponent++;
            }

            if (exponent == 0)
            {
                return ValueClass.Text;
            }
        }

        return i == v.Length ? ValueClass.Decimal : ValueClass.Text;
    }

    private static int DateFormatOf(ReadOnlySpan<byte> v)
    {
        if (v.Length >= 10 && Digits(v[..4]) && v[4] == '-' && Digits(v.Slice(5, 2)) && v[7] == '-' && Digits(v.Slice(8, 2)))
        {
            if (v.Length == 10)
            {
                return 1;
            }

            return v[10] is (byte)'T' or (byte)' ' && v.Length >= 16 && Digits(v.Slice(11, 2)) && v[13] == ':' ? 2 : 0;
        }

        if (v.Length == 10 && Digits(v[..4]) && v[4] == '/' && v[7] == '/')
        {
            return 3;
        }

        var slash = v.IndexOf((byte)'/');
        if (slash is 1 or 2 && v.Length is >= 8 and <= 10 && v.Count((byte)'/') == 2 && Digits(v[^4..]))
        {
            return 4;
        }

        var dot = v.IndexOf((byte)'.');
        if (dot is 1 or 2 && v.Length is >= 8 and <= 10 && v.Count((byte)'.') == 2 && Digits(v[^4..]))
        {
            return 5;
        }

        return 0;
    }

    private static bool Digits(ReadOnlySpan<byte> v)
    {
        foreach (var b in v)
        {
            if (!IsDigit(b))
            {
                return false;
            }
        }

        return v.Length > 0;
    }

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    /// <summary>
    /// The dominant class of a column from its class counts (indexed by <see cref="ValueClass"/>): integers and
    /// decimals count together as one numeric class ("decimal" when any value has a fraction), ties go to the
    /// non-text class. Conforming values are the dominant class's; when text dominates, numeric-looking strings
    /// conform too (ids and codes in a text column are not violations).
    /// </summary>
    private static readonly ValueClass[] TextConforming = [ValueClass.Text, ValueClass.Integer, ValueClass.Decimal];
    private static readonly ValueClass[] NumberMembers = [ValueClass.Integer, ValueClass.Decimal];

    // The candidates in the order ties are broken: text first, then the others in this order (each column of a wide
    // table asks, several times: no allocation).
    private static readonly (string Name, ValueClass Class, ValueClass[] Members)[] Singles =
    [
        ("boolean", ValueClass.Boolean, [ValueClass.Boolean]),
        ("datetime", ValueClass.DateTime, [ValueClass.DateTime]),
        ("json-object", ValueClass.JsonObject, [ValueClass.JsonObject]),
        ("json-array", ValueClass.JsonArray, [ValueClass.JsonArray]),
    ];

    public static (string Name, IReadOnlyList<ValueClass> Conforming) Dominant(ReadOnlySpan<long> counts)
    {
        var numeric = counts[(int)ValueClass.Integer] + counts[(int)ValueClass.Decimal];
        var text = counts[(int)ValueClass.Text];

        // Text wins ties; among the rest the first listed (numbers, then Singles' order) does.
        var bestCount = numeric;
        var best = (Name: counts[(int)ValueClass.Decimal] > 0 ? "decimal" : "integer", Members: NumberMembers);
        foreach (var (name, valueClass, members) in Singles)
        {
            if (counts[(int)valueClass] > bestCount)
            {
                bestCount = counts[(int)valueClass];
                best = (name, members);
            }
        }

        return bestCount == 0 && text == 0 || text >= bestCount ? ("text", TextConforming) : (best.Name, best.Members);
    }
}
