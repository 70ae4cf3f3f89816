using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using Alimentar.Hashing;
using Apache.Arrow;
using Apache.Arrow.Arrays;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;

namespace Alimentar.Data.Arrow;

/// <summary>Arrow IPC files (the "file" format with the ARROW1 footer), one record batch per part.</summary>
public sealed class ArrowDataSource : IDataSource
{
    private readonly Schema _schema;

    public ArrowDataSource(string path)
    {
        Path = path;
        try
        {
            using var stream = new LengthCheckingStream(File.OpenRead(path));
            CheckFooter(path, stream);
            using var reader = new ArrowFileReader(stream, new BoundedArrowAllocator(path, stream.Length));
            _schema = reader.Schema;
        }
        catch (Exception ex) when (ex is not DataReadException)
        {
            throw new DataReadException(path, $"is not a readable Arrow IPC file ({ex.Message})", ex);
        }

        Columns = _schema.FieldsList.Select(f => Describe(f)).ToList();
    }

    public string Path { get; }

    public DataFormat Format => DataFormat.ArrowIpc;

    public IReadOnlyList<ColumnInfo> Columns { get; }

    public long? DeclaredRows => null;

    public IEnumerable<DataPart> Parts()
    {
        using var stream = new LengthCheckingStream(File.OpenRead(Path));
        using var reader = new ArrowFileReader(stream, new BoundedArrowAllocator(Path, stream.Length));
        var index = 0;
        while (true)
        {
            RecordBatch? batch;
            try
            {
                batch = reader.ReadNextRecordBatch();
            }
            catch (Exception ex) when (ex is not DataReadException)
            {
                throw new DataReadException(Path, $"record batch {index} cannot be read ({ex.Message})", ex);
            }

            if (batch is null)
            {
                yield break;
            }

            if (batch.ColumnCount != _schema.FieldsList.Count)
            {
                throw new DataReadException(Path, $"record batch {index} has {batch.ColumnCount} columns where the schema has {_schema.FieldsList.Count}");
            }

            // Lengths come from the file unchecked, and decoding allocates per value: a corrupt length would take
            // gigabytes before any buffer is found short. A value takes at least a bit of some buffer, so no array
            // holds more values than eight per byte of the file.
            var most = (8 * stream.Length) + 64;
            if (batch.Length > most || Enumerable.Range(0, batch.ColumnCount).Any(c => Longest(batch.Column(c).Data) > most))
            {
                throw new DataReadException(Path, $"record batch {index} declares more values than its {stream.Length:N0} bytes can hold");
            }

            yield return new ArrowBatchPart(Path, index++, batch);
        }
    }

    public void Dispose()
    {
    }

    private static ColumnInfo Describe(Field field) => field.DataType switch
    {
        Int8Type or Int16Type or Int32Type or Int64Type or UInt8Type or UInt16Type or UInt32Type or UInt64Type
            => new ColumnInfo(field.Name, ColumnKind.Integer, field.DataType.Name),
        HalfFloatType or FloatType or DoubleType => new ColumnInfo(field.Name, ColumnKind.Float, field.DataType.Name),
        Decimal128Type or Decimal256Type => new ColumnInfo(field.Name, ColumnKind.Decimal, field.DataType.Name),
        BooleanType => new ColumnInfo(field.Name, ColumnKind.Boolean, "bool"),
        Date32Type or Date64Type or TimestampType or Time32Type or Time64Type or DurationType
            => new ColumnInfo(field.Name, ColumnKind.Temporal, field.DataType.Name),
        StringType or LargeStringType or StringViewType => new ColumnInfo(field.Name, ColumnKind.String, "string"),
        BinaryType or LargeBinaryType or BinaryViewType or FixedSizeBinaryType => new ColumnInfo(field.Name, ColumnKind.Binary, field.DataType.Name),
        NullType => new ColumnInfo(field.Name, ColumnKind.Null, "null"),
        NestedType nested => new ColumnInfo(field.Name, ColumnKind.Nested, nested.Name, NestingDepth: Depth(nested)),
        _ => new ColumnInfo(field.Name, ColumnKind.Unsupported, field.DataType.Name),
    };

    // The footer, checked before the reader trusts its counts (see ArrowMessageCheck.FooterProblem).
    private static void CheckFooter(string path, Stream stream)
    {
        var tail = new byte[10];
        if (stream.Length < 18)
        {
            return; // the reader says what is wrong with a file this short
        }

        stream.Position = stream.Length - 10;
        stream.ReadExactly(tail);
        var length = BinaryPrimitives.ReadInt32LittleEndian(tail);
        if (length <= 0 || length > stream.Length - 18)
        {
            return;
        }

        var footer = new byte[length];
        stream.Position = stream.Length - 10 - length;
        stream.ReadExactly(footer);
        stream.Position = 0;
        if (ArrowMessageCheck.FooterProblem(footer) is { } problem)
        {
            throw new DataReadException(path, $"is not a readable Arrow IPC file ({problem})");
        }
    }

    private static long Longest(ArrayData data, int depth = 0) =>
        depth > 64 ? long.MaxValue : Math.Max(data.Length, Math.Max((data.Children ?? []).Select(c => Longest(c, depth + 1)).DefaultIfEmpty(0).Max(), data.Dictionary is { } d ? Longest(d, depth + 1) : 0));

    private static int Depth(IArrowType type) =>
        type is NestedType nested ? 1 + nested.Fields.Select(f => Depth(f.DataType)).DefaultIfEmpty(0).Max() : 0;
}

internal sealed class ArrowBatchPart(string path, int index, RecordBatch batch) : DataPart
{
    private RecordBatch? _batch = batch;

    public override int Index => index;

    public override int RowCountHint => _batch?.Length ?? 0;

    public override ColumnBatch ReadColumn(int column)
    {
        var batch = _batch ?? throw new InvalidOperationException("part released");
        var array = batch.Column(column);
        if (array.Length != batch.Length)
        {
            throw new DataReadException(path, $"record batch {index}: column '{batch.Schema.GetFieldByIndex(column).Name}' has {array.Length} values for {batch.Length} rows");
        }

        try
        {
            return ArrowConversion.ToBatch(array);
        }
        catch (Exception ex) when (ex is ArgumentException or IndexOutOfRangeException or InvalidOperationException or OverflowException or InvalidCastException)
        {
            // Apache.Arrow reads buffers as the file describes them without checking their sizes: a corrupt file
            // shows up here, as an index past a buffer's end.
            throw new DataReadException(path, $"record batch {index}: column '{batch.Schema.GetFieldByIndex(column).Name}' is corrupt ({ex.Message.Split('\n')[0]})", ex);
        }
    }

    public override void Release()
    {
        _batch?.Dispose();
        _batch = null;
    }
}

internal static class ArrowConversion
{
    public static ColumnBatch ToBatch(IArrowArray array)
    {
        var length = array.Length;
        var valid = array.NullCount > 0 ? Enumerable.Range(0, length).Select(array.IsValid).ToArray() : null;
        switch (array)
        {
            case BooleanArray b:
                return new BooleanColumnBatch(Enumerable.Range(0, length).Select(i => b.GetValue(i) ?? false).ToArray(), length, valid);
            case Int8Array or Int16Array or Int32Array or Int64Array or UInt8Array or UInt16Array or UInt32Array or UInt64Array
                or Date32Array or Date64Array or TimestampArray or Time32Array or Time64Array or DurationArray:
                {
                    var values = new long[length];
                    for (var i = 0; i < length; i++)
                    {
                        values[i] = IntegerAt(array, i);
                    }

                    return new Int64ColumnBatch(values, length, valid, Semantics.TemporalUnit.FromArrow(array.Data.DataType));
                }

            case HalfFloatArray or FloatArray or DoubleArray:
                {
                    var values = new double[length];
                    for (var i = 0; i < length; i++)
                    {
                        values[i] = FloatAt(array, i);
                    }

                    return new DoubleColumnBatch(values, length, valid);
                }

            case Decimal128Array or Decimal256Array:
                {
                    // The double is for statistics; identity is the exact value, as the decimal's text spells it.
                    var values = new double[length];
                    var exact = new UInt128[length];
                    for (var i = 0; i < length; i++)
                    {
                        if (!array.IsValid(i))
                        {
                            exact[i] = CellHash.Null;
                            continue;
                        }

                        var text = array is Decimal128Array d128 ? d128.GetString(i)! : ((Decimal256Array)array).GetString(i)!;
                        values[i] = double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : 0;
                        exact[i] = Semantics.CellIdentity.TryNumber(Encoding.ASCII.GetBytes(text), out var identity) ? identity : CellHash.Text(Encoding.ASCII.GetBytes(text));
                    }

                    return new DoubleColumnBatch(values, length, valid, exact);
                }

            case DictionaryArray dictionary:
                return Decode(dictionary, valid);

            case StringArray or LargeStringArray or StringViewArray or BinaryArray or LargeBinaryArray or BinaryViewArray or FixedSizeBinaryArray:
                {
                    var isText = array is StringArray or LargeStringArray or StringViewArray;
                    var offsets = new int[length + 1];
                    using var data = new MemoryStream();
                    for (var i = 0; i < length; i++)
                    {
                        if (array.IsValid(i))
                        {
                            data.Write(BytesAt(array, i));
                        }

                        offsets[i + 1] = (int)data.Length;
                    }

                    return new BytesColumnBatch(offsets, data.ToArray(), length, valid, isText);
                }

            case NullArray:
                return new NullColumnBatch(length);
            default:
                {
                    // Nested values (lists, structs, maps) by their canonical JSON, as JSON and CSV cells are.
                    var hashes = new UInt128[length];
                    var buffer = new System.Buffers.ArrayBufferWriter<byte>();
                    for (var i = 0; i < length; i++)
                    {
                        if (!array.IsValid(i))
                        {
                            hashes[i] = CellHash.Null;
                            continue;
                        }

                        buffer.ResetWrittenCount();
                        using (var json = new System.Text.Json.Utf8JsonWriter(buffer))
                        {
                            Writing.ArrowCellWriter.WriteJson(json, array, i);
                        }

                        hashes[i] = Semantics.CellIdentity.Nested(buffer.WrittenSpan) ?? CellHash.Binary(buffer.WrittenSpan);
                    }

                    return new HashedColumnBatch(hashes, length, valid);
                }
        }
    }

    /// <summary>A dictionary-encoded column as the plain column it encodes.</summary>
    private static ColumnBatch Decode(DictionaryArray dictionary, bool[]? valid)
    {
        var values = ToBatch(dictionary.Dictionary);
        var length = dictionary.Length;
        var index = new int[length];
        for (var i = 0; i < length; i++)
        {
            index[i] = dictionary.IsValid(i) ? Writing.ArrowCellWriter.DictionaryIndex(dictionary, i) : -1;
        }

        bool[]? mask = valid;
        if (values.Valid is not null)
        {
            mask = Enumerable.Range(0, length).Select(i => index[i] >= 0 && !values.IsNull(index[i])).ToArray();
        }

        switch (values)
        {
            case Int64ColumnBatch b:
                return new Int64ColumnBatch(index.Select(k => k >= 0 ? b.Values[k] : 0).ToArray(), length, mask, b.Temporal);
            case DoubleColumnBatch b:
                return new DoubleColumnBatch(
                    index.Select(k => k >= 0 ? b.Values[k] : 0).ToArray(), length, mask,
                    b.ExactHashes is null ? null : index.Select(k => k >= 0 ? b.ExactHashes[k] : CellHash.Null).ToArray());
            case BooleanColumnBatch b:
                return new BooleanColumnBatch(index.Select(k => k >= 0 && b.Values[k]).ToArray(), length, mask);
            case BytesColumnBatch b:
                {
                    var offsets = new int[length + 1];
                    using var data = new MemoryStream();
                    for (var i = 0; i < length; i++)
                    {
                        if (index[i] >= 0)
                        {
                            data.Write(b.Value(index[i]));
                        }

                        offsets[i + 1] = (int)data.Length;
                    }

                    return new BytesColumnBatch(offsets, data.ToArray(), length, mask, b.IsText);
                }

            case HashedColumnBatch b:
                return new HashedColumnBatch(index.Select(k => k >= 0 ? b.Hashes[k] : CellHash.Null).ToArray(), length, mask);
            default:
                return new NullColumnBatch(length);
        }
    }

    private static long IntegerAt(IArrowArray array, int i) => array switch
    {
        Int8Array a => a.GetValue(i) ?? 0,
        Int16Array a => a.GetValue(i) ?? 0,
        Int32Array a => a.GetValue(i) ?? 0,
        Int64Array a => a.GetValue(i) ?? 0,
        UInt8Array a => a.GetValue(i) ?? 0,
        UInt16Array a => a.GetValue(i) ?? 0,
        UInt32Array a => a.GetValue(i) ?? 0,
        UInt64Array a => unchecked((long)(a.GetValue(i) ?? 0)),
        Date32Array a => a.GetValue(i) ?? 0,
        Date64Array a => a.GetValue(i) ?? 0,
        TimestampArray a => a.GetValue(i) ?? 0,
        Time32Array a => a.GetValue(i) ?? 0,
        Time64Array a => a.GetValue(i) ?? 0,
        DurationArray a => a.GetValue(i) ?? 0,
        _ => 0,
    };

    private static double FloatAt(IArrowArray array, int i) => array switch
    {
        HalfFloatArray a => (double)(a.GetValue(i) ?? default),
        FloatArray a => a.GetValue(i) ?? 0,
        DoubleArray a => a.GetValue(i) ?? 0,
        Decimal128Array a => (double)(a.GetSqlDecimal(i)?.ToDouble() ?? 0),
        Decimal256Array a => double.TryParse(a.GetString(i), System.Globalization.CultureInfo.InvariantCulture, out var d) ? d : 0,
        _ => 0,
    };

    private static ReadOnlySpan<byte> BytesAt(IArrowArray array, int i) => array switch
    {
        StringArray a => a.GetBytes(i),
        LargeStringArray a => Encoding.UTF8.GetBytes(a.GetString(i) ?? string.Empty),
        StringViewArray a => a.GetBytes(i),
        BinaryArray a => a.GetBytes(i),
        LargeBinaryArray a => a.GetBytes(i),
        BinaryViewArray a => a.GetBytes(i),
        FixedSizeBinaryArray a => a.GetBytes(i),
        _ => [],
    };
}
