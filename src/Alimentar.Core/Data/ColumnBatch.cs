namespace Alimentar.Data;

/// <summary>
/// The values of one column for a contiguous run of rows. Values are kept in flat arrays (UTF-8 bytes,
/// never .NET strings) so that scoring allocates per batch, not per value.
/// </summary>
public abstract class ColumnBatch
{
    protected ColumnBatch(int length, bool[]? valid)
    {
        Length = length;
        Valid = valid;
    }

    public int Length { get; }

    /// <summary>Null mask: <c>false</c> marks a null. <c>null</c> means every value is present.</summary>
    public bool[]? Valid { get; }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public bool IsNull(int row) => Valid is not null && !Valid[row];
}

public sealed class Int64ColumnBatch(long[] values, int length, bool[]? valid) : ColumnBatch(length, valid)
{
    public long[] Values { get; } = values;
}

public sealed class DoubleColumnBatch(double[] values, int length, bool[]? valid, UInt128[]? exactHashes = null)
    : ColumnBatch(length, valid)
{
    public double[] Values { get; } = values;

    /// <summary>For decimals: hashes of the exact stored value, since the double is only an approximation.</summary>
    public UInt128[]? ExactHashes { get; } = exactHashes;
}

public sealed class BooleanColumnBatch(bool[] values, int length, bool[]? valid) : ColumnBatch(length, valid)
{
    public bool[] Values { get; } = values;
}

/// <summary>JSON value types, for mixed-type detection in JSON sources.</summary>
public enum JsonValueKind2 : byte
{
    None = 0,
    String = 1,
    Number = 2,
    Boolean = 3,
    Object = 4,
    Array = 5,
}

/// <summary>Variable-length values: text (UTF-8) or binary.</summary>
public sealed class BytesColumnBatch(int[] offsets, byte[] data, int length, bool[]? valid, bool isText, JsonValueKind2[]? jsonKinds = null)
    : ColumnBatch(length, valid)
{
    /// <summary>Value i is <c>Data[Offsets[i]..Offsets[i+1]]</c>.</summary>
    public int[] Offsets { get; } = offsets;

    public byte[] Data { get; } = data;

    public bool IsText { get; } = isText;

    /// <summary>JSON type of each value when the source is JSON; otherwise null.</summary>
    public JsonValueKind2[]? JsonKinds { get; } = jsonKinds;

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<byte> Value(int row) => Data.AsSpan(Offsets[row], Offsets[row + 1] - Offsets[row]);
}

/// <summary>Nested or opaque values, reduced to a 128-bit hash of their canonical encoding per row.</summary>
public sealed class HashedColumnBatch(UInt128[] hashes, int length, bool[]? valid) : ColumnBatch(length, valid)
{
    public UInt128[] Hashes { get; } = hashes;
}

/// <summary>A column absent from one shard of a multi-file dataset: every cell is null.</summary>
public sealed class NullColumnBatch(int length) : ColumnBatch(length, new bool[length]);
