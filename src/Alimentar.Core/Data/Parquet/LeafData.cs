using ParquetSharp;

namespace Alimentar.Data.Parquet;

/// <summary>One leaf column of a nested field in one row group, fully decoded: levels plus densely packed values.</summary>
internal sealed class LeafData
{
    private const int BatchSize = 65536;

    private short[] _def;
    private short[] _rep;
    private short[]? _scratchRep;

    private LeafData(short maxDef, short maxRep, int capacity)
    {
        MaxDef = maxDef;
        MaxRep = maxRep;
        _def = new short[Math.Max(capacity, 16)];
        _rep = maxRep > 0 ? new short[Math.Max(capacity, 16)] : [];
    }

    public short MaxDef { get; }

    public short MaxRep { get; }

    public int Levels { get; private set; }

    public ReadOnlySpan<short> Def => _def.AsSpan(0, Levels);

    public ReadOnlySpan<short> Rep => _rep.AsSpan(0, MaxRep > 0 ? Levels : 0);

    public ValueStore Values { get; } = new();

    public static LeafData Read(ColumnReader column, ParquetFieldLayout field, long capacityHint)
    {
        var descriptor = column.ColumnDescriptor;
        var data = new LeafData(descriptor.MaxDefinitionLevel, descriptor.MaxRepetitionLevel, (int)Math.Clamp(capacityHint, 16, 1 << 24));
        var isDecimal = field.Info.Kind == ColumnKind.Decimal || descriptor.SchemaNode.ConvertedType == ParquetSharp.Schema.ConvertedType.Decimal;
        var scale = isDecimal ? descriptor.TypeScale : 0;
        switch (column)
        {
            case ColumnReader<bool> r:
                {
                    var buffer = new bool[BatchSize];
                    while (r.HasNext)
                    {
                        var read = data.ReadInto(r, buffer);
                        data.Values.AddBooleans(buffer.AsSpan(0, read));
                    }

                    break;
                }

            case ColumnReader<int> r:
                {
                    var buffer = new int[BatchSize];
                    while (r.HasNext)
                    {
                        var read = data.ReadInto(r, buffer);
                        data.Values.AddInt32(buffer.AsSpan(0, read), isDecimal, scale);
                    }

                    break;
                }

            case ColumnReader<long> r:
                {
                    var buffer = new long[BatchSize];
                    while (r.HasNext)
                    {
                        var read = data.ReadInto(r, buffer);
                        data.Values.AddInt64(buffer.AsSpan(0, read), isDecimal, scale);
                    }

                    break;
                }

            case ColumnReader<Int96> r:
                {
                    var buffer = new Int96[BatchSize];
                    while (r.HasNext)
                    {
                        var read = data.ReadInto(r, buffer);
                        data.Values.AddInt96(buffer.AsSpan(0, read));
                    }

                    break;
                }

            case ColumnReader<float> r:
                {
                    var buffer = new float[BatchSize];
                    while (r.HasNext)
                    {
                        var read = data.ReadInto(r, buffer);
                        data.Values.AddFloats(buffer.AsSpan(0, read));
                    }

                    break;
                }

            case ColumnReader<double> r:
                {
                    var buffer = new double[BatchSize];
                    while (r.HasNext)
                    {
                        var read = data.ReadInto(r, buffer);
                        data.Values.AddDoubles(buffer.AsSpan(0, read));
                    }

                    break;
                }

            case ColumnReader<ByteArray> r:
                {
                    var buffer = new ByteArray[BatchSize];
                    while (r.HasNext)
                    {
                        var read = data.ReadInto(r, buffer);
                        data.Values.AddByteArrayHashes(buffer.AsSpan(0, read));
                    }

                    break;
                }

            case ColumnReader<FixedLenByteArray> r:
                {
                    var buffer = new FixedLenByteArray[BatchSize];
                    var length = descriptor.TypeLength;
                    while (r.HasNext)
                    {
                        var read = data.ReadInto(r, buffer);
                        data.Values.AddFixed(buffer.AsSpan(0, read), length, isDecimal, scale);
                    }

                    break;
                }

            default:
                throw new InvalidOperationException($"unsupported physical type {descriptor.PhysicalType}");
        }

        return data;
    }

    private int ReadInto<T>(ColumnReader<T> reader, T[] buffer)
        where T : unmanaged
    {
        EnsureCapacity(Levels + buffer.Length);
        var defSpan = _def.AsSpan(Levels, buffer.Length);
        // ParquetSharp wants a repetition buffer even for leaves that have no repetition levels.
        var repSpan = MaxRep > 0 ? _rep.AsSpan(Levels, buffer.Length) : (_scratchRep ??= new short[buffer.Length]).AsSpan(0, buffer.Length);
        var levels = reader.ReadBatch(buffer.Length, defSpan, repSpan, buffer, out var valuesRead);
        if (levels == 0 && valuesRead == 0 && reader.HasNext)
        {
            throw new ParquetException("decoder", "column reader made no progress");
        }

        if (MaxDef == 0)
        {
            defSpan[..(int)levels].Clear();
        }
        else if (defSpan[..(int)levels].IndexOfAnyExceptInRange((short)0, MaxDef) >= 0)
        {
            throw new ParquetException("levels", $"definition level out of range (max {MaxDef})");
        }

        if (MaxRep > 0)
        {
            if (repSpan[..(int)levels].IndexOfAnyExceptInRange((short)0, MaxRep) >= 0)
            {
                throw new ParquetException("levels", $"repetition level out of range (max {MaxRep})");
            }

            if (Levels == 0 && levels > 0 && repSpan[0] != 0)
            {
                throw new ParquetException("levels", "the column chunk starts in the middle of a record (first repetition level is not 0)");
            }
        }

        Levels += (int)levels;
        return (int)valuesRead;
    }

    private void EnsureCapacity(int needed)
    {
        if (_def.Length < needed)
        {
            var size = Math.Max(needed, _def.Length * 2);
            Array.Resize(ref _def, size);
            if (MaxRep > 0)
            {
                Array.Resize(ref _rep, size);
            }
        }
    }
}

/// <summary>Densely packed decoded values of one leaf, in one of four canonical shapes.</summary>
internal sealed class ValueStore
{
    private long[] _longs = [];
    private double[] _doubles = [];
    private bool[] _bools = [];
    private int[] _offsets = [0];
    private byte[] _bytes = [];
    private UInt128[] _exact = [];

    public enum Shape
    {
        None,
        Integer,
        Float,
        Boolean,
        Bytes,
    }

    public Shape Kind { get; private set; }

    public int Count { get; private set; }

    public bool HasExactHashes { get; private set; }

    public long Int64(int i) => _longs[i];

    public double Double(int i) => _doubles[i];

    public bool Boolean(int i) => _bools[i];

    public UInt128 ExactHash(int i) => _exact[i];

    public ReadOnlySpan<byte> Bytes(int i) => _bytes.AsSpan(_offsets[i], _offsets[i + 1] - _offsets[i]);

    public void AddBooleans(ReadOnlySpan<bool> values)
    {
        Kind = Shape.Boolean;
        Grow(ref _bools, Count + values.Length);
        values.CopyTo(_bools.AsSpan(Count));
        Count += values.Length;
    }

    public void AddInt32(ReadOnlySpan<int> values, bool isDecimal, int scale)
    {
        Span<long> widened = values.Length <= 4096 ? stackalloc long[values.Length] : new long[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            widened[i] = values[i];
        }

        AddInt64(widened, isDecimal, scale);
    }

    public void AddInt64(ReadOnlySpan<long> values, bool isDecimal, int scale)
    {
        if (isDecimal)
        {
            Kind = Shape.Float;
            HasExactHashes = true;
            Grow(ref _doubles, Count + values.Length);
            Grow(ref _exact, Count + values.Length);
            var divisor = Math.Pow(10, scale);
            for (var i = 0; i < values.Length; i++)
            {
                (_doubles[Count + i], _exact[Count + i]) = ParquetValues.Decimal(values[i], scale, divisor);
            }

            Count += values.Length;
            return;
        }

        Kind = Shape.Integer;
        Grow(ref _longs, Count + values.Length);
        values.CopyTo(_longs.AsSpan(Count));
        Count += values.Length;
    }

    public void AddInt96(ReadOnlySpan<Int96> values)
    {
        Kind = Shape.Integer;
        Grow(ref _longs, Count + values.Length);
        for (var i = 0; i < values.Length; i++)
        {
            _longs[Count + i] = ParquetValues.Int96ToNanos(values[i]);
        }

        Count += values.Length;
    }

    public void AddFloats(ReadOnlySpan<float> values)
    {
        Kind = Shape.Float;
        Grow(ref _doubles, Count + values.Length);
        for (var i = 0; i < values.Length; i++)
        {
            _doubles[Count + i] = values[i];
        }

        Count += values.Length;
    }

    public void AddDoubles(ReadOnlySpan<double> values)
    {
        Kind = Shape.Float;
        Grow(ref _doubles, Count + values.Length);
        values.CopyTo(_doubles.AsSpan(Count));
        Count += values.Length;
    }

    /// <summary>Nested columns only need each value's identity: keep a 64-bit hash, not the bytes.</summary>
    public unsafe void AddByteArrayHashes(ReadOnlySpan<ByteArray> values)
    {
        Kind = Shape.Integer;
        Grow(ref _longs, Count + values.Length);
        for (var i = 0; i < values.Length; i++)
        {
            var bytes = values[i].Length == 0 ? ReadOnlySpan<byte>.Empty : new ReadOnlySpan<byte>((void*)values[i].Pointer, values[i].Length);
            _longs[Count + i] = unchecked((long)System.IO.Hashing.XxHash3.HashToUInt64(bytes));
        }

        Count += values.Length;
    }

    public unsafe void AddFixed(ReadOnlySpan<FixedLenByteArray> values, int length, bool isDecimal, int scale)
    {
        if (isDecimal)
        {
            var copy = values.ToArray();
            AddDecimalBytes(copy.Length, i => new ReadOnlySpan<byte>((void*)copy[i].Pointer, length).ToArray(), scale);
            return;
        }

        Kind = Shape.Bytes;
        var start = _offsets[Count];
        Grow(ref _bytes, start + (values.Length * length));
        Grow(ref _offsets, Count + values.Length + 1);
        var position = start;
        for (var i = 0; i < values.Length; i++)
        {
            new ReadOnlySpan<byte>((void*)values[i].Pointer, length).CopyTo(_bytes.AsSpan(position));
            position += length;
            _offsets[Count + i + 1] = position;
        }

        Count += values.Length;
    }

    private void AddDecimalBytes(int count, Func<int, byte[]> value, int scale)
    {
        Kind = Shape.Float;
        HasExactHashes = true;
        Grow(ref _doubles, Count + count);
        Grow(ref _exact, Count + count);
        var divisor = Math.Pow(10, scale);
        for (var i = 0; i < count; i++)
        {
            (_doubles[Count + i], _exact[Count + i]) = ParquetValues.Decimal(value(i), scale, divisor);
        }

        Count += count;
    }

    private static void Grow<T>(ref T[] array, int needed)
    {
        if (array.Length < needed)
        {
            Array.Resize(ref array, Math.Max(needed, Math.Max(16, array.Length * 2)));
        }
    }
}
