using Apache.Arrow;

namespace Alimentar.Data.Writing;

/// <summary>
/// Parquet through ParquetSharp's Arrow writer: the Arrow schema is stored in the file, so timestamps keep their
/// unit and zone and dictionary columns their encoding; statistics and the page index are written, and row groups
/// are sized as the Hub's dataset viewer wants them.
/// </summary>
internal sealed class ParquetSink(string path, Schema schema, SinkOptions options) : RecordBatchSink(path, schema)
{
    private ParquetSharp.Arrow.FileWriter? _writer;

    protected override void WriteBatch(RecordBatch batch)
    {
        _writer ??= Open(options.RowGroupRows ?? RowsPerGroup(batch), MostlyDistinctColumns(batch));
        _writer.WriteBufferedRecordBatch(batch);
    }

    protected override void Finish()
    {
        _writer ??= Open(options.RowGroupRows ?? 1024 * 1024, []);
        _writer.Close();
    }

    protected override void Close()
    {
        _writer?.Dispose();
        _writer = null;
    }

    private long RowsPerGroup(RecordBatch sample)
    {
        // A dictionary is counted at a quarter: its values repeat across batches rather than grow with rows.
        var bytes = ArrowSizes.Bytes(sample, dictionaryWeight: 0.25);
        var perRow = Math.Max(1.0, (double)bytes / Math.Max(1, sample.Length));
        return (long)Math.Clamp(options.RowGroupBytes / perRow, 1024, 64L * 1024 * 1024);
    }

    /// <summary>
    /// Flat columns whose first batch is mostly distinct values (ids, measurements, free text). Parquet's writer tries
    /// a dictionary for every column and gives up only when it outgrows a page; on the benchmark file those attempts
    /// were 40 % of the write. Dictionary-friendly columns (labels, categories) keep it.
    /// </summary>
    private static List<string> MostlyDistinctColumns(RecordBatch sample)
    {
        var columns = new List<string>();
        for (var c = 0; c < sample.ColumnCount; c++)
        {
            var array = sample.Column(c);
            var present = array.Length - array.NullCount;
            if (present < 1024 || array is BooleanArray or NullArray || array.Data.DataType is Apache.Arrow.Types.NestedType or Apache.Arrow.Types.DictionaryType)
            {
                continue;
            }

            var distinct = new HashSet<ulong>();
            for (var i = 0; i < array.Length; i++)
            {
                if (array.IsValid(i) && ValueBytes(array, i) is { } bytes)
                {
                    distinct.Add(System.IO.Hashing.XxHash3.HashToUInt64(bytes));
                }
            }

            if (distinct.Count * 2 > present)
            {
                columns.Add(sample.Schema.FieldsList[c].Name);
            }
        }

        return columns;
    }

    private static ReadOnlySpan<byte> ValueBytes(IArrowArray array, int index)
    {
        switch (array)
        {
            case BinaryArray binary:
                return binary.GetBytes(index);
            case PrimitiveArray<long> or PrimitiveArray<double> or PrimitiveArray<int> or PrimitiveArray<float> or PrimitiveArray<short> or PrimitiveArray<ulong> or PrimitiveArray<uint>:
                {
                    var width = ((Apache.Arrow.Types.FixedWidthType)array.Data.DataType).BitWidth / 8;
                    return array.Data.Buffers[1].Span.Slice((array.Data.Offset + index) * width, width);
                }

            default:
                return [];
        }
    }

    /// <summary>Above this many columns, no column is dictionary-encoded.</summary>
    internal const int WideSchemaColumns = 4096;

    private ParquetSharp.Arrow.FileWriter Open(long rowGroupRows, List<string> plainColumns)
    {
        using var builder = new ParquetSharp.WriterPropertiesBuilder();
        builder.Compression(options.Compression switch
        {
            ParquetCompression.Zstd => ParquetSharp.Compression.Zstd,
            ParquetCompression.Gzip => ParquetSharp.Compression.Gzip,
            ParquetCompression.Lz4 => ParquetSharp.Compression.Lz4,
            ParquetCompression.None => ParquetSharp.Compression.Uncompressed,
            _ => ParquetSharp.Compression.Snappy,
        });
        builder.EnableStatistics().EnableWritePageIndex().MaxRowGroupLength(rowGroupRows).CreatedBy("alimentar");
        if (Schema.FieldsList.Count > WideSchemaColumns)
        {
            // Each column's dictionary encoder holds native buffers of its own: at 100,000 columns they were 3 GB.
            builder.DisableDictionary();
        }

        foreach (var column in plainColumns)
        {
            builder.DisableDictionary(column);
        }

        using var properties = builder.Build();
        using var arrowBuilder = new ParquetSharp.Arrow.ArrowWriterPropertiesBuilder();
        // Columns of a row group are encoded and compressed in parallel.
        using var arrowProperties = arrowBuilder.StoreSchema().UseThreads(true).Build();
        return new ParquetSharp.Arrow.FileWriter(TempPath, Schema, properties, arrowProperties);
    }
}
