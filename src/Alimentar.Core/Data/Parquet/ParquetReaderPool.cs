using System.Collections.Concurrent;
using ParquetSharp;

namespace Alimentar.Data.Parquet;

/// <summary>
/// Open readers of one file, lent to one column stream at a time. Opening a reader parses the whole footer, whose
/// size grows with the column count, so a reader per column read made wide files quadratic: 25 s for 5,000
/// columns. A reader is not safe for concurrent use, hence a pool of them (about one per scanning thread).
/// </summary>
internal sealed class ParquetReaderPool(string path) : IDisposable
{
    private readonly ConcurrentBag<ParquetFileReader> _idle = [];
    private bool _disposed;

    private int _opened;

    /// <summary>How many readers were opened (each parsed the footer once).</summary>
    public int Opened => _opened;

    public Lease Rent()
    {
        if (_idle.TryTake(out var reader))
        {
            return new Lease(this, reader);
        }

        Interlocked.Increment(ref _opened);
        return new Lease(this, ParquetDataSource.OpenReader(path));
    }

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out var reader))
        {
            reader.Dispose();
        }
    }

    private void Return(ParquetFileReader reader)
    {
        if (_disposed)
        {
            reader.Dispose();
            return;
        }

        _idle.Add(reader);
    }

    /// <summary>A reader on loan; disposing it gives it back.</summary>
    public readonly struct Lease(ParquetReaderPool pool, ParquetFileReader reader) : IDisposable
    {
        public ParquetFileReader Reader => reader;

        public void Dispose() => pool.Return(reader);
    }
}
