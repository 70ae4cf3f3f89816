using System.Buffers.Binary;
using System.Numerics;
using ParquetSharp;

namespace Alimentar.Data.Parquet;

/// <summary>Conversions of Parquet physical values that both the flat and the nested readers need.</summary>
internal static class ParquetValues
{
    /// <summary>An INT96 timestamp (nanoseconds of the day + Julian day) as nanoseconds since the Unix epoch.</summary>
    public static long Int96ToNanos(Int96 v) =>
        unchecked(((v.C - 2440588L) * 86_400_000_000_000L) + ((long)(uint)v.A | ((long)v.B << 32)));

    /// <summary>A FLOAT16 (2 little-endian bytes) as a double.</summary>
    public static unsafe double Half(IntPtr pointer) =>
        (double)BitConverter.UInt16BitsToHalf(BinaryPrimitives.ReadUInt16LittleEndian(new ReadOnlySpan<byte>((void*)pointer, 2)));

    /// <summary>An INT32/INT64 decimal: its approximate value and its identity (by exact value).</summary>
    public static (double Value, UInt128 Hash) Decimal(long unscaled, int scale, double divisor) =>
        (unscaled / divisor, Semantics.CellIdentity.Decimal(unscaled, scale));

    /// <summary>A BYTE_ARRAY / FIXED_LEN_BYTE_ARRAY decimal (big-endian two's complement), likewise.</summary>
    public static (double Value, UInt128 Hash) Decimal(ReadOnlySpan<byte> bigEndian, int scale, double divisor)
    {
        var unscaled = bigEndian.IsEmpty ? BigInteger.Zero : new BigInteger(bigEndian, isUnsigned: false, isBigEndian: true);
        return ((double)unscaled / divisor, Semantics.CellIdentity.Decimal(unscaled, scale));
    }
}
