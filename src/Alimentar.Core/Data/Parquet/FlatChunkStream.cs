using ParquetSharp;

namespace Alimentar.Data.Parquet;

/// <summary>
/// Decodes a flat (non-nested) column chunk 64k rows at a time into reused, row-aligned buffers. Nothing is
/// allocated per chunk beyond the batch object, so a row group's text never has to exist in managed memory
/// at once (fresh pages cost more than decoding on this kind of machine).
/// </summary>
internal sealed class FlatChunkStream : IDisposable
{
    private const int ChunkRows = 65536;

    private readonly ParquetReaderPool.Lease _file;
    private readonly RowGroupReader _rowGroup;
    private readonly ColumnReader _column;
    private readonly ParquetFieldLayout _field;
    private readonly short _maxDef;
    // Buffers come from the shared array pool: a stream per column per row group, and fresh arrays this size are
    // large-object-heap allocations whose first-touch page faults cost more than the decoding they serve.
    private readonly List<Action> _returns = [];
    private readonly short[] _def;
    private readonly short[] _rep;
    private readonly bool[] _valid;
    private readonly bool _isDecimal;
    private readonly Semantics.TemporalUnit? _temporal;
    private readonly int _scale;
    private readonly double _divisor;
    private readonly Array _raw;
    private readonly BatchReader _batchReader;
    private long[]? _longs;
    private double[]? _doubles;
    private bool[]? _bools;
    private UInt128[]? _exact;
    private int[]? _offsets;
    private byte[]? _data;
    private nint[]? _pointers;
    private int[]? _lengths;

    public FlatChunkStream(ParquetReaderPool readers, int rowGroup, ParquetFieldLayout field)
    {
        _field = field;
        _file = readers.Rent();
        try
        {
            _rowGroup = _file.Reader.RowGroup(rowGroup);
            _column = _rowGroup.Column(field.Leaves[0]);
        }
        catch
        {
            _file.Dispose();
            throw;
        }

        _def = Rent<short>(ChunkRows);
        _rep = Rent<short>(ChunkRows);
        _valid = Rent<bool>(ChunkRows);
        _maxDef = _column.ColumnDescriptor.MaxDefinitionLevel;
        _isDecimal = field.Info.Kind == ColumnKind.Decimal;
        _temporal = field.Temporal;
        _scale = _isDecimal ? field.Scale : 0;
        _divisor = Math.Pow(10, _scale);
        _raw = _column.Apply(new RawBufferFor(this));
        _batchReader = new BatchReader(this);
    }

    /// <summary>The next chunk, or null at the end of the column chunk.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public ColumnBatch? Next()
    {
        if (!_column.HasNext)
        {
            return null;
        }

        var (levels, values) = _column.Apply(_batchReader);

        if (levels == 0)
        {
            throw new ParquetException("decoder", "column reader made no progress");
        }

        var rows = (int)levels;
        bool[]? valid = null;
        if (_maxDef > 0 && values != levels)
        {
            var defs = _def.AsSpan(0, rows);
            if (defs.IndexOfAnyExceptInRange((short)0, _maxDef) >= 0)
            {
                throw new ParquetException("levels", $"definition level out of range (max {_maxDef})");
            }

            valid = _valid;
            for (var i = 0; i < rows; i++)
            {
                valid[i] = defs[i] == _maxDef;
            }
        }

        return Build(rows, valid);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private unsafe ColumnBatch Build(int rows, bool[]? valid)
    {
        var v = 0;
        switch (_raw)
        {
            case bool[] raw:
                _bools ??= Rent<bool>(ChunkRows);
                for (var i = 0; i < rows; i++)
                {
                    _bools[i] = (valid is null || valid[i]) && raw[v++];
                }

                return new BooleanColumnBatch(_bools, rows, valid);
            case int[] raw when !_isDecimal:
                _longs ??= Rent<long>(ChunkRows);
                for (var i = 0; i < rows; i++)
                {
                    _longs[i] = valid is null || valid[i] ? raw[v++] : 0;
                }

                return new Int64ColumnBatch(_longs, rows, valid, _temporal);
            case long[] raw when !_isDecimal:
                if (valid is null)
                {
                    return new Int64ColumnBatch(raw, rows, null, _temporal);
                }

                _longs ??= Rent<long>(ChunkRows);
                for (var i = 0; i < rows; i++)
                {
                    _longs[i] = valid[i] ? raw[v++] : 0;
                }

                return new Int64ColumnBatch(_longs, rows, valid, _temporal);
            case Int96[] raw:
                _longs ??= Rent<long>(ChunkRows);
                for (var i = 0; i < rows; i++)
                {
                    if (valid is null || valid[i])
                    {
                        _longs[i] = ParquetValues.Int96ToNanos(raw[v++]);
                    }
                }

                return new Int64ColumnBatch(_longs, rows, valid, _temporal);
            case int[] or long[]:
                return Decimals(rows, valid, i => _raw is int[] ints ? ints[i] : ((long[])_raw)[i]);
            case float[] raw:
                _doubles ??= Rent<double>(ChunkRows);
                for (var i = 0; i < rows; i++)
                {
                    _doubles[i] = valid is null || valid[i] ? raw[v++] : 0;
                }

                return new DoubleColumnBatch(_doubles, rows, valid);
            case double[] raw:
                if (valid is null)
                {
                    return new DoubleColumnBatch(raw, rows, null);
                }

                _doubles ??= Rent<double>(ChunkRows);
                for (var i = 0; i < rows; i++)
                {
                    _doubles[i] = valid[i] ? raw[v++] : 0;
                }

                return new DoubleColumnBatch(_doubles, rows, valid);
            case ByteArray[] raw when _isDecimal:
                return DecimalBytes(rows, valid, i => raw[i].Length == 0 ? [] : new ReadOnlySpan<byte>((void*)raw[i].Pointer, raw[i].Length).ToArray());
            case FixedLenByteArray[] raw when _isDecimal:
                return DecimalBytes(rows, valid, i => new ReadOnlySpan<byte>((void*)raw[i].Pointer, _field.TypeLength).ToArray());
            case FixedLenByteArray[] raw when _field.Logical == LogicalTypeEnum.Float16:
                _doubles ??= Rent<double>(ChunkRows);
                for (var i = 0; i < rows; i++)
                {
                    _doubles[i] = valid is null || valid[i]
                        ? ParquetValues.Half(raw[v++].Pointer)
                        : 0;
                }

                return new DoubleColumnBatch(_doubles, rows, valid);
            case ByteArray[] raw:
                {
                    _pointers ??= Rent<nint>(ChunkRows);
                    _lengths ??= Rent<int>(ChunkRows);
                    for (var i = 0; i < rows; i++)
                    {
                        if (valid is null || valid[i])
                        {
                            var item = raw[v++];
                            _pointers[i] = item.Pointer;
                            _lengths[i] = item.Length;
                        }
                        else
                        {
                            _lengths[i] = 0;
                        }
                    }

                    return BytesColumnBatch.InNativeMemory(_pointers, _lengths, rows, valid, _field.Info.Kind == ColumnKind.String);
                }

            case FixedLenByteArray[] raw:
                {
                    var length = _field.TypeLength;
                    EnsureBytes((long)rows * length);
                    var position = 0;
                    _offsets![0] = 0;
                    for (var i = 0; i < rows; i++)
                    {
                        if (valid is null || valid[i])
                        {
                            new ReadOnlySpan<byte>((void*)raw[v++].Pointer, length).CopyTo(_data.AsSpan(position));
                            position += length;
                        }

                        _offsets[i + 1] = position;
                    }

                    return new BytesColumnBatch(_offsets, _data!, rows, valid, isText: false);
                }

            default:
                throw new InvalidOperationException("unsupported column type");
        }
    }

    private DoubleColumnBatch Decimals(int rows, bool[]? valid, Func<int, long> unscaled)
    {
        _doubles ??= Rent<double>(ChunkRows);
        _exact ??= Rent<UInt128>(ChunkRows);
        var v = 0;
        for (var i = 0; i < rows; i++)
        {
            if (valid is null || valid[i])
            {
                (_doubles[i], _exact[i]) = ParquetValues.Decimal(unscaled(v++), _scale, _divisor);
            }
        }

        return new DoubleColumnBatch(_doubles, rows, valid, _exact);
    }

    private DoubleColumnBatch DecimalBytes(int rows, bool[]? valid, Func<int, byte[]> bytes)
    {
        _doubles ??= Rent<double>(ChunkRows);
        _exact ??= Rent<UInt128>(ChunkRows);
        var v = 0;
        for (var i = 0; i < rows; i++)
        {
            if (valid is null || valid[i])
            {
                (_doubles[i], _exact[i]) = ParquetValues.Decimal(bytes(v++), _scale, _divisor);
            }
        }

        return new DoubleColumnBatch(_doubles, rows, valid, _exact);
    }

    private void EnsureBytes(long total)
    {
        _offsets ??= Rent<int>(ChunkRows + 1);
        if (total > int.MaxValue)
        {
            throw new InvalidOperationException("more than 2 GiB of data in 64k values");
        }

        if (_data is null || _data.Length < total)
        {
            if (_data is not null)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(_data);
            }

            _data = System.Buffers.ArrayPool<byte>.Shared.Rent((int)Math.Max(total, 1 << 20));
        }
    }

    public void Dispose()
    {
        foreach (var giveBack in _returns)
        {
            giveBack();
        }

        _returns.Clear();
        if (_data is not null)
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(_data);
            _data = null;
        }

        _column.Dispose();
        _rowGroup.Dispose();
        _file.Dispose();
    }

    /// <summary>A reused value buffer of the reader's physical type.</summary>
    private T[] Rent<T>(int length)
    {
        var array = System.Buffers.ArrayPool<T>.Shared.Rent(length);
        _returns.Add(() => System.Buffers.ArrayPool<T>.Shared.Return(array));
        return array;
    }

    private sealed class RawBufferFor(FlatChunkStream stream) : IColumnReaderVisitor<Array>
    {
        public Array OnColumnReader<TValue>(ColumnReader<TValue> reader)
            where TValue : unmanaged => stream.Rent<TValue>(ChunkRows);
    }

    /// <summary>One generic read for every physical type; the buffer's element type matches the reader's by construction.</summary>
    private sealed class BatchReader(FlatChunkStream stream) : IColumnReaderVisitor<(long Levels, long Values)>
    {
        public (long Levels, long Values) OnColumnReader<TValue>(ColumnReader<TValue> reader)
            where TValue : unmanaged
        {
            var levels = reader.ReadBatch(ChunkRows, stream._def, stream._rep, (TValue[])stream._raw, out var values);
            return (levels, values);
        }
    }
}
