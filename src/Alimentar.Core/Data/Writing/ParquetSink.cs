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
        _writer ??= Open(options.RowGroupRows ?? RowsPerGroup(batch));
        _writer.WriteBufferedRecordBatch(batch);
    }

    protected override void Finish()
    {
        _writer ??= Open(options.RowGroupRows ?? 1024 * 1024);
        _writer.Close();
    }

    protected override void Close()
    {
        _writer?.Dispose();
        _writer = null;
    }

    private long RowsPerGroup(RecordBatch sample)
    {
        long bytes = 0;
        for (var c = 0; c < sample.ColumnCount; c++)
        {
            bytes += BufferBytes(sample.Column(c).Data);
        }

        var perRow = Math.Max(1.0, (double)bytes / Math.Max(1, sample.Length));
        return (long)Math.Clamp(options.RowGroupBytes / perRow, 1024, 64L * 1024 * 1024);
    }

    private static long BufferBytes(ArrayData data)
    {
        long bytes = 0;
        foreach (var buffer in data.Buffers ?? [])
        {
            bytes += buffer.Length;
        }

        foreach (var child in data.Children ?? [])
        {
            bytes += BufferBytes(child);
        }

        return bytes + (data.Dictionary is { } dictionary ? BufferBytes(dictionary) / 4 : 0);
    }

    private ParquetSharp.Arrow.FileWriter Open(long rowGroupRows)
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
        using var properties = builder.Build();
        using var arrowBuilder = new ParquetSharp.Arrow.ArrowWriterPropertiesBuilder();
        using var arrowProperties = arrowBuilder.StoreSchema().Build();
        return new ParquetSharp.Arrow.FileWriter(TempPath, Schema, properties, arrowProperties);
    }
}
