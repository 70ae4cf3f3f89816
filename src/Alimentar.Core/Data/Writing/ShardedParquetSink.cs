using Apache.Arrow;

namespace Alimentar.Data.Writing;

/// <summary>One Parquet shard of a split: where it is, its rows, its in-memory Arrow bytes and its size on disk.</summary>
/// <param name="Path">The file.</param>
/// <param name="Rows">Rows in it.</param>
/// <param name="NumBytes">In-memory Arrow bytes of those rows.</param>
/// <param name="FileBytes">Its size on disk.</param>
/// <param name="Name">Its final name (<c>train-00000-of-00003.parquet</c>); empty until the split is complete.</param>
/// <param name="Sha256">Its SHA-256 when it was computed while writing, else null.</param>
public sealed record ShardFile(string Path, long Rows, long NumBytes, long FileBytes, string Name = "", string? Sha256 = null);

/// <summary>
/// One split written as Parquet shards the way <c>datasets.push_to_hub</c> names them,
/// <c>{split}-{i:05d}-of-{n:05d}.parquet</c>, each holding at most <c>maxShardBytes</c> of in-memory Arrow data
/// (what <c>max_shard_size</c> measures) in contiguous rows. The count is known only at the end, so shards are
/// written under provisional names and renamed when <see cref="Complete"/> is called; until then, and if it never
/// is, nothing carries a final name.
/// </summary>
public sealed class ShardedParquetSink : IDisposable
{
    private readonly string _folder;
    private readonly string _split;
    private readonly Schema _schema;
    private readonly long _maxBytes;
    private readonly SinkOptions _options;
    private readonly List<ShardFile> _done = [];
    private RecordBatchSink? _current;
    private long _currentBytes;
    private long _currentRows;
    private bool _completed;

    public ShardedParquetSink(string folder, string split, Schema schema, long maxShardBytes, SinkOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxShardBytes, 1);
        _folder = Path.GetFullPath(folder);
        _split = split;
        _schema = schema;
        _maxBytes = maxShardBytes;
        _options = options ?? new SinkOptions();
        Directory.CreateDirectory(_folder);
    }

    public long Rows { get; private set; }

    /// <summary>Called as each shard is closed, before the split is complete: it can be uploaded while the next is written.</summary>
    public Action<ShardFile>? ShardWritten { get; init; }

    /// <summary>
    /// Leave the shards under their provisional names and report the final names in <see cref="ShardFile.Name"/>
    /// only (for a caller that reads them concurrently, such as an upload started by <see cref="ShardWritten"/>).
    /// </summary>
    public bool KeepProvisionalPaths { get; init; }

    /// <summary>
    /// Rows per shard (each still at most the byte limit): the split's rows divided evenly, as <c>datasets</c>
    /// divides a split into shards of equal size rather than full ones and a remainder.
    /// </summary>
    public long? TargetShardRows { get; init; }

    public long NumBytes { get; private set; }

    /// <summary>Writes a batch, rolling to a new shard where the current one would pass the limit (a batch may be cut).</summary>
    public void Write(RecordBatch batch)
    {
        if (batch.Length == 0)
        {
            return;
        }

        var perRow = (double)ArrowSizes.Bytes(batch) / batch.Length;
        var offset = 0;
        while (offset < batch.Length)
        {
            if (_current is not null && _currentRows > 0 && (_currentBytes + perRow > _maxBytes || _currentRows >= TargetShardRows))
            {
                FinishCurrent();
            }

            _current ??= Open();
            var room = Math.Max(1, (long)((_maxBytes - _currentBytes) / Math.Max(perRow, 1e-9)));
            if (TargetShardRows is { } target)
            {
                room = Math.Min(room, Math.Max(1, target - _currentRows));
            }

            var take = (int)Math.Min(batch.Length - offset, room);
            var bytes = (long)Math.Round(perRow * take);
            if (offset == 0 && take == batch.Length)
            {
                _current.Write(batch);
            }
            else
            {
                // Not disposed: a slice shares the batch's buffers, and disposing it would release them under the batch.
                _current.Write(batch.Slice(offset, take));
            }

            _currentBytes += bytes;
            _currentRows += take;
            NumBytes += bytes;
            Rows += take;
            offset += take;
        }
    }

    /// <summary>Closes the last shard and gives every shard its final name; an empty split is one empty shard, as in <c>datasets</c>.</summary>
    public IReadOnlyList<ShardFile> Complete()
    {
        _current ??= Open();
        FinishCurrent();
        var total = _done.Count;
        var final = new List<ShardFile>(total);
        for (var i = 0; i < total; i++)
        {
            var name = $"{_split}-{i:D5}-of-{total:D5}.parquet";
            if (KeepProvisionalPaths)
            {
                final.Add(_done[i] with { Name = name });
                continue;
            }

            var target = Path.Combine(_folder, name);
            File.Move(_done[i].Path, target, overwrite: true);
            final.Add(_done[i] with { Path = target, Name = name });
        }

        _completed = true;
        _done.Clear();
        _done.AddRange(final);
        return final;
    }

    public void Dispose()
    {
        _current?.Dispose();
        _current = null;
        if (!_completed)
        {
            foreach (var shard in _done)
            {
                File.Delete(shard.Path);
            }
        }
    }

    private RecordBatchSink Open()
    {
        _currentBytes = 0;
        _currentRows = 0;
        var provisional = Path.Combine(_folder, $".{_split}-{_done.Count:D5}.pending.parquet");
        return RecordBatchSink.Create(provisional, _schema, _options, OutputFormat.Parquet);
    }

    private void FinishCurrent()
    {
        if (_current is null)
        {
            return;
        }

        _current.Commit();
        var path = _current.Path;
        var rows = _current.Rows;
        _current.Dispose();
        _current = null;
        var shard = new ShardFile(path, rows, _currentBytes, new FileInfo(path).Length);
        _done.Add(shard);
        ShardWritten?.Invoke(shard);
    }
}
