using Apache.Arrow;

namespace Alimentar.Data.Writing;

/// <summary>
/// Writes record batches to a file through a temporary sibling that <see cref="Commit"/> renames into place: until
/// then the destination is untouched, and disposing an uncommitted sink deletes the temporary file, so a failure
/// or a kill never leaves half an output.
/// </summary>
public abstract class RecordBatchSink : IDisposable
{
    private bool _committed;
    private bool _flushToDisk = true;

    protected RecordBatchSink(string path, Schema schema)
    {
        Path = System.IO.Path.GetFullPath(path);
        Schema = schema;
        var directory = System.IO.Path.GetDirectoryName(Path)!;
        Directory.CreateDirectory(directory);
        TempPath = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(Path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
    }

    public string Path { get; }

    public Schema Schema { get; }

    public long Rows { get; private set; }

    protected string TempPath { get; }

    public static RecordBatchSink Create(string path, Schema schema, SinkOptions? options = null, OutputFormat? format = null)
    {
        options ??= new SinkOptions();
        RecordBatchSink sink = (format ?? OutputFormats.FromPath(path) ?? OutputFormat.Parquet) switch
        {
            OutputFormat.Parquet => new ParquetSink(path, schema, options),
            OutputFormat.Csv => new DelimitedSink(path, schema, ','),
            OutputFormat.Tsv => new DelimitedSink(path, schema, '\t'),
            OutputFormat.JsonLines => new JsonLinesSink(path, schema),
            _ => new ArrowIpcSink(path, schema),
        };
        sink._flushToDisk = options.FlushToDisk;
        return sink;
    }

    public void Write(RecordBatch batch)
    {
        if (batch.Length == 0)
        {
            return;
        }

        WriteBatch(batch);
        Rows += batch.Length;
    }

    /// <summary>Finishes the file, flushes it to disk and renames it into place.</summary>
    public void Commit()
    {
        Finish();
        if (_flushToDisk)
        {
            using var flush = new FileStream(TempPath, FileMode.Open, FileAccess.ReadWrite);
            flush.Flush(flushToDisk: true);
        }

        File.Move(TempPath, Path, overwrite: true);
        _committed = true;
    }

    public void Dispose()
    {
        Close();
        if (!_committed)
        {
            try
            {
                File.Delete(TempPath);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        GC.SuppressFinalize(this);
    }

    protected abstract void WriteBatch(RecordBatch batch);

    /// <summary>Writes what is buffered and closes the temporary file.</summary>
    protected abstract void Finish();

    /// <summary>Releases the writer whether or not it finished.</summary>
    protected abstract void Close();
}
