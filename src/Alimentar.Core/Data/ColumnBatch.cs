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

public sealed class Int64ColumnBatch(long[] values, int length, bool[]? valid, Semantics.TemporalUnit? temporal = null) : ColumnBatch(length, valid)
{
    public long[] Values { get; } = values;

    /// <summary>Set when the integers count dates, times or durations: their identity is what they denote.</summary>
    public Semantics.TemporalUnit? Temporal { get; } = temporal;
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
public sealed unsafe class BytesColumnBatch : ColumnBatch
{
    private readonly int[]? _offsets;
    private readonly byte[]? _data;
    private readonly nint[]? _pointers;
    private readonly int[]? _lengths;

    /// <summary>Values in managed memory: value i is <c>data[offsets[i]..offsets[i+1]]</c>.</summary>
    public BytesColumnBatch(int[] offsets, byte[] data, int length, bool[]? valid, bool isText, JsonValueKind2[]? jsonKinds = null)
        : base(length, valid)
    {
        _offsets = offsets;
        _data = data;
        IsText = isText;
        JsonKinds = jsonKinds;
    }

    private BytesColumnBatch(nint[] pointers, int[] lengths, int length, bool[]? valid, bool isText)
        : base(length, valid)
    {
        _pointers = pointers;
        _lengths = lengths;
        IsText = isText;
    }

    public bool IsText { get; }

    /// <summary>JSON type of each value when the source is JSON; otherwise null.</summary>
    public JsonValueKind2[]? JsonKinds { get; }

    /// <summary>
    /// Values left where a decoder put them (value i at <c>pointers[i]</c>, <c>lengths[i]</c> bytes), valid only
    /// until the decoder moves on. Copying 1 GB of text into managed arrays cost more than hashing it.
    /// </summary>
    public static BytesColumnBatch InNativeMemory(nint[] pointers, int[] lengths, int length, bool[]? valid, bool isText) =>
        new(pointers, lengths, length, valid, isText);

    /// <summary>True when the values are left in the decoder's memory (<see cref="InNativeMemory"/>).</summary>
    public bool IsNative => _pointers is not null;

    /// <summary>
    /// Where value <paramref name="row"/> starts, for native batches. A dictionary-encoded page hands out the same
    /// address for every copy of a value, so within one batch an address identifies the bytes.
    /// </summary>
    public nint Address(int row) => _pointers![row];

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<byte> Value(int row) => _pointers is not null
        ? new ReadOnlySpan<byte>((void*)_pointers[row], _lengths![row])
        : _data.AsSpan(_offsets![row], _offsets[row + 1] - _offsets[row]);
}

/// <summary>Nested or opaque values, reduced to a 128-bit hash of their canonical encoding per row.</summary>
public sealed class HashedColumnBatch(UInt128[] hashes, int length, bool[]? valid) : ColumnBatch(length, valid)
{
    public UInt128[] Hashes { get; } = hashes;
}

/// <summary>A column absent from one shard of a multi-file dataset: every cell is null.</summary>
public sealed class NullColumnBatch(int length) : ColumnBatch(length, new bool[length]);
