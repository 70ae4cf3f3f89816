using Apache.Arrow;

namespace Alimentar.Data.Lossless;

/// <summary>Parquet through ParquetSharp's Arrow reader (Arrow C++ underneath): the schema as written, Arrow metadata included.</summary>
internal sealed class ParquetBatchSource : IRecordBatchSource
{
    private readonly ParquetSharp.Arrow.FileReader _reader;

    public ParquetBatchSource(string path)
    {
        Path = path;
        try
        {
            using var properties = ParquetSharp.ReaderProperties.GetDefaultReaderProperties();
            properties.EnableBufferedStream();
            properties.BufferSize = 1 << 20;
            properties.EnablePageChecksumVerification();
            using var arrow = ParquetSharp.Arrow.ArrowReaderProperties.GetDefault();
            arrow.BatchSize = 64 * 1024;
            _reader = new ParquetSharp.Arrow.FileReader(path, properties, arrow);
            Schema = _reader.Schema;
        }
        catch (ParquetSharp.ParquetException ex)
        {
            throw new DataReadException(path, FirstLine(ex.Message), ex);
        }
    }

    public string Path { get; }

    public Schema Schema { get; }

    public IEnumerable<RecordBatch> Batches()
    {
        using var stream = Wrap(() => _reader.GetRecordBatchReader());
        while (true)
        {
            var batch = Wrap(() => stream.ReadNextRecordBatchAsync().AsTask().GetAwaiter().GetResult());
            if (batch is null)
            {
                yield break;
            }

            yield return batch;
        }
    }

    public void Dispose() => _reader.Dispose();

    private T Wrap<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception ex) when (ex is ParquetSharp.ParquetException or System.IO.IOException or InvalidOperationException)
        {
            throw new DataReadException(Path, FirstLine(ex.Message), ex);
        }
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
