using System.IO.Hashing;

namespace Alimentar.Hashing;

/// <summary>
/// 128-bit hashes of single cells under a type-tagged canonical encoding: the type tag keys the hash (as its seed,
/// or for text as a salt), so a null, the string "NULL", the integer 1 and the string "1" all hash differently, and because each
/// cell is hashed on its own no separator can make two different rows collide.
/// </summary>
public static class CellHash
{
    private const long NullTag = 0;
    private const long IntegerTag = 1;
    private const long FloatTag = 2;
    private const long BooleanTag = 3;
    private const long TextTag = 4;
    private const long BinaryTag = 5;
    private const long NestedTag = 6;
    private const long DecimalTag = 7;
    private const long TemporalTag = 8;

    public static readonly UInt128 Null = XxHash128.HashToUInt128([], NullTag);

    private static readonly UInt128 TextSalt = XxHash128.HashToUInt128([], TextTag);

    private static readonly UInt128 True = XxHash128.HashToUInt128([1], BooleanTag);
    private static readonly UInt128 False = XxHash128.HashToUInt128([0], BooleanTag);

    // Fixed-width values need no general-purpose hash: two different bijective 64-bit mixers of the value
    // (salted by the type tag) give an injective, well-dispersed 128-bit cell hash at a fraction of the cost.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static UInt128 Integer(long value) => Mix((ulong)value, IntegerTag);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static UInt128 Float(double value)
    {
        // NaN == NaN and -0 == +0, as DuckDB's DISTINCT treats them.
        if (double.IsNaN(value))
        {
            value = double.NaN;
        }
        else if (value == 0)
        {
            value = 0;
        }

        return Mix((ulong)BitConverter.DoubleToInt64Bits(value), FloatTag);
    }

    public static UInt128 Boolean(bool value) => value ? True : False;

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static UInt128 Mix(ulong value, long tag)
    {
        var salted = value ^ ((ulong)tag * 0x9E3779B97F4A7C15UL);
        return new UInt128(SplitMix(salted), Murmur(salted + 0x632BE59BD9B4E019UL));
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static ulong SplitMix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static ulong Murmur(ulong k)
    {
        k ^= k >> 33;
        k *= 0xFF51AFD7ED558CCDUL;
        k ^= k >> 33;
        k *= 0xC4CEB9FE1A85EC53UL;
        return k ^ (k >> 33);
    }

    /// <summary>
    /// Text is hashed unseeded and then salted with its tag: for inputs over 240 bytes XXH3 derives a 192-byte secret
    /// from a nonzero seed on every call, which showed in profiles of free-text columns. XOR with a constant is a
    /// bijection, so text values still collide only when their unseeded hashes do, and never with other types'
    /// hashes except by chance.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static UInt128 Text(ReadOnlySpan<byte> utf8) => XxHash128.HashToUInt128(utf8) ^ TextSalt;

    public static UInt128 Binary(ReadOnlySpan<byte> bytes) => XxHash128.HashToUInt128(bytes, BinaryTag);

    /// <summary>A decimal no double holds exactly: its significant digits, sign and exponent.</summary>
    public static UInt128 ExactDecimal(bool negative, ReadOnlySpan<byte> digits, int exponent) =>
        XxHash128.HashToUInt128(digits, DecimalTag + ((long)exponent << 9) + (negative ? 1L << 8 : 0));

    /// <summary>A temporal value of one kind as nanoseconds (since the epoch, since midnight, or elapsed).</summary>
    public static UInt128 Temporal(int kind, Int128 nanos)
    {
        Span<byte> bytes = stackalloc byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteInt128LittleEndian(bytes, nanos);
        return XxHash128.HashToUInt128(bytes, TemporalTag + ((long)kind << 8));
    }

    public static UInt128 Nested(ReadOnlySpan<byte> canonical) => XxHash128.HashToUInt128(canonical, NestedTag);
}

/// <summary>Folds cell hashes into a row hash: a polynomial over 128-bit words, order-sensitive.</summary>
public static class RowHash
{
    // An odd 128-bit multiplier keeps each step a bijection of the accumulator.
    private static readonly UInt128 Multiplier = new(0x9E3779B97F4A7C15UL, 0xF39CC0605CEDC835UL);

    public static readonly UInt128 Seed = new(0x243F6A8885A308D3UL, 0x13198A2E03707345UL);

    public static UInt128 Combine(UInt128 accumulator, UInt128 cell) => unchecked((accumulator * Multiplier) + cell);

    /// <summary>
    /// The same polynomial written as a sum: folding n cells gives Seed x M^n + sum of cell_k x M^(n-1-k), so
    /// cell k of n contributes cell_k x <c>Weights(n)[k]</c> and the rest is <see cref="SeedTerm"/>. Columns can
    /// then add their terms independently, in any order.
    /// </summary>
    public static UInt128[] Weights(int cells)
    {
        var weights = new UInt128[cells];
        UInt128 power = 1;
        for (var k = cells - 1; k >= 0; k--)
        {
            weights[k] = power;
            power = unchecked(power * Multiplier);
        }

        return weights;
    }

    public static UInt128 SeedTerm(int cells)
    {
        var term = Seed;
        for (var k = 0; k < cells; k++)
        {
            term = unchecked(term * Multiplier);
        }

        return term;
    }
}
