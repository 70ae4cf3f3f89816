using Alimentar.Data.Writing;

namespace Alimentar.Data.Parquet;

/// <summary>
/// Shards of Parquet inputs made by copying whole row groups (<see cref="ParquetRowGroupCopier"/>): when every
/// input's row groups can be copied, share one schema and are each small enough, a dataset is sharded without
/// decoding a value, at the speed of a file copy. Otherwise the caller re-encodes.
/// </summary>
public sealed class ParquetShardPlanner
{
    private readonly Dictionary<string, ParquetRowGroupFile> _files;

    private ParquetShardPlanner(Dictionary<string, ParquetRowGroupFile> files) => _files = files;

    /// <summary>A planner when all of <paramref name="files"/> qualify, else null and why not.</summary>
    /// <param name="files">Every file of the dataset (all splits: one config has one schema).</param>
    /// <param name="maxRowGroupBytes">The largest row group to copy as it is (uncompressed).</param>
    public static ParquetShardPlanner? TryCreate(IReadOnlyList<string> files, long maxRowGroupBytes, out string? reason)
    {
        var opened = new Dictionary<string, ParquetRowGroupFile>(StringComparer.Ordinal);
        byte[]? schema = null;
        foreach (var file in files)
        {
            if (FormatDetector.FromExtension(file) != DataFormat.Parquet)
            {
                reason = $"{file} is not Parquet";
                return null;
            }

            var source = ParquetRowGroupFile.TryOpen(file, out reason);
            if (source is null)
            {
                reason = $"{file}: {reason}";
                return null;
            }

            schema ??= source.Schema;
            if (!schema.AsSpan().SequenceEqual(source.Schema))
            {
                reason = $"{file} has another Parquet schema than {files[0]}";
                return null;
            }

            for (var g = 0; g < source.RowGroups.Count; g++)
            {
                if (source.UncompressedBytes(g) > maxRowGroupBytes)
                {
                    reason = $"{file} has a row group of {source.UncompressedBytes(g):N0} bytes";
                    return null;
                }
            }

            opened[file] = source;
        }

        reason = null;
        return new ParquetShardPlanner(opened);
    }

    /// <summary>
    /// Writes one split's files as <c>{split}-{i:05d}-of-{n:05d}.parquet</c> in <paramref name="folder"/>:
    /// <c>int(bytes / max) + 1</c> shards as <c>datasets</c> plans them, row groups kept whole and contiguous, each
    /// row group in the shard its middle falls in, so the shards come out even. Each shard is reported as soon as
    /// it is written.
    /// </summary>
    public IReadOnlyList<ShardFile> Write(IReadOnlyList<string> files, string split, string folder, long maxShardBytes, Action<ShardFile>? written = null, CancellationToken cancel = default)
    {
        Directory.CreateDirectory(folder);
        var groups = files.SelectMany(f => Enumerable.Range(0, _files[f].RowGroups.Count).Select(g => (File: _files[f], Group: g))).ToList();
        var total = groups.Sum(g => g.File.UncompressedBytes(g.Group));
        var count = (int)Math.Max(1, (total / maxShardBytes) + 1);
        var target = (double)Math.Max(1, total) / count;
        var shards = Enumerable.Range(0, count).Select(_ => new List<(ParquetRowGroupFile, int)>()).ToList();
        long before = 0;
        foreach (var (file, group) in groups)
        {
            var size = file.UncompressedBytes(group);
            var index = (int)Math.Min(count - 1, (before + (size / 2.0)) / target);
            shards[index].Add((file, group));
            before += size;
        }

        // Evenness may not hold for row groups of very different sizes; the limit must.
        if (shards.Any(s => s.Sum(g => g.Item1.UncompressedBytes(g.Item2)) > maxShardBytes))
        {
            shards = Greedy(groups, maxShardBytes);
        }

        shards.RemoveAll(s => s.Count == 0);
        if (shards.Count == 0)
        {
            shards.Add([]);
        }

        var result = new List<ShardFile>();
        for (var i = 0; i < shards.Count; i++)
        {
            cancel.ThrowIfCancellationRequested();
            var path = Path.Combine(folder, $"{split}-{i:D5}-of-{shards.Count:D5}.parquet");
            var (shard, _) = shards[i].Count > 0
                ? ParquetRowGroupCopier.Write(shards[i], path)
                : ParquetRowGroupCopier.Write([], path, _files[files[0]]);
            result.Add(shard);
            written?.Invoke(shard);
        }

        return result;
    }

    private static List<List<(ParquetRowGroupFile, int)>> Greedy(IEnumerable<(ParquetRowGroupFile File, int Group)> groups, long max)
    {
        var shards = new List<List<(ParquetRowGroupFile, int)>> { new() };
        long current = 0;
        foreach (var (file, group) in groups)
        {
            var size = file.UncompressedBytes(group);
            if (shards[^1].Count > 0 && current + size > max)
            {
                shards.Add([]);
                current = 0;
            }

            shards[^1].Add((file, group));
            current += size;
        }

        return shards;
    }
}
