using Alimentar.Data.Lossless;
using Alimentar.Data.Writing;
using Alimentar.Tests.Support;
using Apache.Arrow;

namespace Alimentar.Tests.Publishing;

public sealed class ShardingTests
{
    private readonly string _dir = TestPaths.NewTempDir();

    private static RecordBatch Batch(long start, int rows)
    {
        var ids = new Int64Array.Builder();
        var texts = new StringArray.Builder();
        for (var i = 0; i < rows; i++)
        {
            ids.Append(start + i);
            texts.Append(new string((char)('a' + ((start + i) % 26)), 40));
        }

        var schema = new Schema.Builder().Field(f => f.Name("id").DataType(Apache.Arrow.Types.Int64Type.Default)).Field(f => f.Name("text").DataType(Apache.Arrow.Types.StringType.Default)).Build();
        return new RecordBatch(schema, [ids.Build(), texts.Build()], rows);
    }

    [Fact]
    public void ShardsAreNamedCountedAndSizedAsPushToHubWritesThem()
    {
        // 10,000 rows of about 8 + 4 + 40 bytes in memory = about 520 kB; at most 100 kB per shard gives 6 shards.
        var folder = Path.Combine(_dir, "data");
        IReadOnlyList<ShardFile> shards;
        using (var sink = new ShardedParquetSink(folder, "train", Batch(0, 1).Schema, 100_000))
        {
            for (var start = 0; start < 10_000; start += 2_500)
            {
                using var batch = Batch(start, 2_500);
                sink.Write(batch);
            }

            Assert.Empty(Directory.GetFiles(folder, "train-*"));
            shards = sink.Complete();
            Assert.Equal(10_000, sink.Rows);
        }

        Assert.Equal(6, shards.Count);
        Assert.Equal(Enumerable.Range(0, 6).Select(i => $"train-{i:D5}-of-00006.parquet"), shards.Select(s => Path.GetFileName(s.Path)));
        Assert.Equal(shards.Select(s => s.Path).Order(), Directory.GetFiles(folder).Order());
        Assert.All(shards, s => Assert.InRange(s.NumBytes, 1, 100_000));
        Assert.Equal(10_000, shards.Sum(s => s.Rows));
        Assert.All(shards, s => Assert.Equal(new FileInfo(s.Path).Length, s.FileBytes));

        // Contiguous rows, in order, every row once; the row counts recorded are the files' own.
        var next = 0L;
        foreach (var shard in shards)
        {
            using var source = RecordBatchSources.Open(shard.Path);
            long rows = 0;
            foreach (var batch in source.Batches())
            {
                using (batch)
                {
                    var ids = (Int64Array)batch.Column(0);
                    for (var i = 0; i < ids.Length; i++)
                    {
                        Assert.Equal(next++, ids.GetValue(i));
                    }

                    rows += batch.Length;
                }
            }

            Assert.Equal(shard.Rows, rows);
        }

        Assert.Equal(10_000, next);
    }

    [Fact]
    public void AnEmptySplitIsOneEmptyShardAndAnUnfinishedSinkLeavesNothing()
    {
        var folder = Path.Combine(_dir, "empty");
        using (var sink = new ShardedParquetSink(folder, "test", Batch(0, 1).Schema, 1000))
        {
            var shards = sink.Complete();
            Assert.Equal("test-00000-of-00001.parquet", Path.GetFileName(Assert.Single(shards).Path));
            using var source = RecordBatchSources.Open(shards[0].Path);
            Assert.Equal(["id", "text"], source.Schema.FieldsList.Select(f => f.Name));
        }

        var abandoned = Path.Combine(_dir, "abandoned");
        using (var sink = new ShardedParquetSink(abandoned, "train", Batch(0, 1).Schema, 10_000))
        {
            using var batch = Batch(0, 2_000);
            sink.Write(batch);
        }

        Assert.Empty(Directory.GetFiles(abandoned));
    }
}
