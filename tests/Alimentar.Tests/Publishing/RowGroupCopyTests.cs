using Alimentar.Data.Lossless;
using Alimentar.Data.Parquet;
using Alimentar.Quality;
using Alimentar.Tests.Support;

namespace Alimentar.Tests.Publishing;

/// <summary>
/// Row groups copied byte for byte into new files must read back as the same data: checked against Apache's
/// conformance files (dictionaries, page indexes, bloom filters, nested types, every codec) by the scanner, which
/// reads column chunks at the footer's offsets, and by Arrow's reader.
/// </summary>
public sealed class RowGroupCopyTests
{
    private readonly string _dir = TestPaths.NewTempDir();

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(TestPaths.ParquetTesting, "parquet-testing", "data"), "*.parquet").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        data.Add("../../../../main/samples/reviews.parquet");
        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void CopiedRowGroupsReadBackAsTheSameData(string name)
    {
        var path = Path.GetFullPath(Path.Combine(TestPaths.ParquetTesting, "parquet-testing", "data", name));
        if (name.StartsWith("..", StringComparison.Ordinal))
        {
            path = Path.Combine(TestPaths.Samples, "reviews.parquet");
        }

        // Scoring large_string_map.brotli.parquet (2 GB of strings in one row group) three times takes half a
        // minute; its footer has nothing the other files lack.
        if (ParquetRowGroupFile.TryOpen(path, out _) is { } big && Enumerable.Range(0, big.RowGroups.Count).Sum(big.UncompressedBytes) > 256L << 20)
        {
            return;
        }

        QualityReport original;
        try
        {
            original = QualityChecker.Score(path);
        }
        catch (Alimentar.Data.DataReadException)
        {
            return; // files the tool refuses (encrypted, malformed) are not sharded
        }

        var source = ParquetRowGroupFile.TryOpen(path, out var reason);
        if (source is null)
        {
            Assert.False(string.IsNullOrEmpty(reason));
            return;
        }

        if (source.RowGroups.Count == 0)
        {
            return;
        }

        // All row groups into one file, and (with two or more) into two shards scored as one dataset.
        var whole = Path.Combine(_dir, "whole.parquet");
        var (shard, sha) = ParquetRowGroupCopier.Write(Enumerable.Range(0, source.RowGroups.Count).Select(g => (source, g)).ToList(), whole);
        Assert.Equal(original.Rows, shard.Rows);
        Assert.Equal(Bytes.Sha256(File.ReadAllBytes(whole)), sha);
        AssertSameData(original, QualityChecker.Score(whole), name);
        AssertArrowReads(path, [whole]);

        if (source.RowGroups.Count >= 2)
        {
            var half = source.RowGroups.Count / 2;
            var first = Path.Combine(_dir, "a.parquet");
            var second = Path.Combine(_dir, "b.parquet");
            ParquetRowGroupCopier.Write(Enumerable.Range(0, half).Select(g => (source, g)).ToList(), first);
            ParquetRowGroupCopier.Write(Enumerable.Range(half, source.RowGroups.Count - half).Select(g => (source, g)).ToList(), second);
            AssertSameData(original, QualityChecker.Score([first, second]), name);
            AssertArrowReads(path, [first, second]);
        }
    }

    private static void AssertSameData(QualityReport expected, QualityReport actual, string name)
    {
        Assert.Equal(expected.Rows, actual.Rows);
        Assert.Equal(expected.Duplicates.Exact, actual.Duplicates.Exact);
        Assert.Equal(expected.Columns.Count, actual.Columns.Count);
        for (var i = 0; i < expected.Columns.Count; i++)
        {
            var (e, a) = (expected.Columns[i], actual.Columns[i]);
            Assert.True(e.Missing == a.Missing && e.Nulls == a.Nulls && e.Distinct == a.Distinct && e.Mean == a.Mean && e.Min == a.Min && e.Max == a.Max, $"{name}: column {e.Name} differs after the copy");
        }
    }

    // Arrow's reader (pages, dictionaries, page index) reads the copies to the same rows and the same nulls per column.
    private static void AssertArrowReads(string original, IReadOnlyList<string> copies)
    {
        static (long Rows, string Nulls) Read(IEnumerable<string> files)
        {
            long rows = 0;
            long[]? nulls = null;
            foreach (var file in files)
            {
                using var source = RecordBatchSources.Open(file);
                foreach (var batch in source.Batches())
                {
                    using (batch)
                    {
                        nulls ??= new long[batch.ColumnCount];
                        for (var c = 0; c < batch.ColumnCount; c++)
                        {
                            nulls[c] += batch.Column(c).NullCount;
                        }

                        rows += batch.Length;
                    }
                }
            }

            return (rows, string.Join(",", nulls ?? []));
        }

        (long, string) expected;
        try
        {
            expected = Read([original]);
        }
        catch (Exception)
        {
            return; // Arrow's reader refuses the original too (e.g. maps with nullable keys)
        }

        Assert.Equal(expected, Read(copies));
    }
}
