using Apache.Arrow;
using Apache.Arrow.Ipc;

namespace Alimentar.Data.Writing;

/// <summary>Arrow IPC file format through Apache.Arrow.</summary>
internal sealed class ArrowIpcSink : RecordBatchSink
{
    private readonly FileStream _stream;
    private readonly ArrowFileWriter _writer;
    private bool _started;

    public ArrowIpcSink(string path, Schema schema)
        : base(path, schema)
    {
        _stream = new FileStream(TempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
        _writer = new ArrowFileWriter(_stream, schema, leaveOpen: true);
    }

    protected override void WriteBatch(RecordBatch batch)
    {
        _started = true;
        _writer.WriteRecordBatch(batch);
    }

    protected override void Finish()
    {
        if (!_started)
        {
            _writer.WriteStart();
        }

        _writer.WriteEnd();
        _stream.Flush();
        Close();
    }

    protected override void Close()
    {
        _writer.Dispose();
        _stream.Dispose();
    }
}
