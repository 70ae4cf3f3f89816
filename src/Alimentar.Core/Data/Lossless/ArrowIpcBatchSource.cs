using Apache.Arrow;
using Apache.Arrow.Ipc;

namespace Alimentar.Data.Lossless;

/// <summary>Arrow IPC files (and streams) through Apache.Arrow.</summary>
internal sealed class ArrowIpcBatchSource : IRecordBatchSource
{
    private readonly FileStream _stream;
    private readonly ArrowReaderImplementation _reader;

    public ArrowIpcBatchSource(string path)
    {
        Path = path;
        _stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            Span<byte> magic = stackalloc byte[6];
            var isFile = _stream.Read(magic) == 6 && magic.SequenceEqual("ARROW1"u8);
            _stream.Position = 0;
            _reader = new ArrowReaderImplementation(isFile ? new ArrowFileReader(_stream, leaveOpen: true) : new ArrowStreamReader(_stream, leaveOpen: true));
            Schema = _reader.Schema;
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or ArgumentException or InvalidOperationException or OverflowException)
        {
            _stream.Dispose();
            throw new DataReadException(path, ex.Message, ex);
        }
    }

    public string Path { get; }

    public Schema Schema { get; }

    public IEnumerable<RecordBatch> Batches()
    {
        while (true)
        {
            RecordBatch? batch;
            try
            {
                batch = _reader.Next();
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException or ArgumentException or InvalidOperationException or OverflowException)
            {
                throw new DataReadException(Path, ex.Message, ex);
            }

            if (batch is null)
            {
                yield break;
            }

            yield return batch;
        }
    }

    public void Dispose()
    {
        _reader.Dispose();
        _stream.Dispose();
    }

    private sealed class ArrowReaderImplementation(ArrowStreamReader reader) : IDisposable
    {
        public Schema Schema => reader.Schema;

        public RecordBatch? Next() => reader.ReadNextRecordBatch();

        public void Dispose() => reader.Dispose();
    }
}
