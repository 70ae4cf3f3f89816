using Alimentar.Hashing;
using Alimentar.Quality.Accumulators;

namespace Alimentar.Tests.Quality;

/// <summary>The row fold and the deferred duplicate finder against straightforward reference implementations.</summary>
public sealed class RowIdentityTests
{
    [Theory]
    [InlineData(1, 10)]
    [InlineData(3, 1000)]
    [InlineData(7, 70_000)]
    public void FoldedRowHashesEqualTheSequentialPolynomial(int columns, int rows)
    {
        var random = new Random(columns * 31 + rows);
        var cells = Enumerable.Range(0, columns).Select(_ => Enumerable.Range(0, rows).Select(_ => RandomHash(random)).ToArray()).ToArray();
        var weights = RowHash.Weights(columns);

        // Columns arrive in a shuffled order, in chunks of uneven size, and the part declared too few rows.
        using var fold = new PartRowFold(columns, capacityHint: rows / 3);
        foreach (var c in Enumerable.Range(0, columns).OrderBy(_ => random.Next()))
        {
            var start = 0;
            while (start < rows)
            {
                var n = Math.Min(rows - start, 1 + random.Next(5000));
                var terms = cells[c].AsSpan(start, n).ToArray().Select(h => h * weights[c]).ToArray();
                fold.Add(start, terms, [], new bool[n], required: false);
                start += n;
            }
        }

        fold.Finish(rows, anyHashedColumn: true);
        var folded = fold.Hashes(rows).ToArray();
        for (var r = 0; r < rows; r++)
        {
            var expected = RowHash.Seed;
            for (var c = 0; c < columns; c++)
            {
                expected = RowHash.Combine(expected, cells[c][r]);
            }

            Assert.Equal(expected, folded[r]);
        }
    }

    [Theory]
    [InlineData(500, 1_000, false)]
    [InlineData(200_000, 1_000, false)]
    [InlineData(60_000, 50_000_000, false)]
    [InlineData(200_000, 200_000, true)]
    public void DuplicateFinderMatchesADictionary(int rows, long expectedRows, bool populate)
    {
        var random = new Random(rows);
        var hashes = new UInt128[rows];
        for (var r = 0; r < rows; r++)
        {
            hashes[r] = r > 0 && random.NextDouble() < 0.1 ? hashes[random.Next(r)] : RandomHash(random);
        }

        bool Skip(long row) => row % 97 == 13;
        using var finder = new DuplicateFinder(expectedRows, populate);
        var offset = 0;
        while (offset < rows)
        {
            var n = Math.Min(rows - offset, 1 + random.Next(20_000));
            var part = offset;
            finder.Append(hashes.AsSpan(offset, n), offset, r => Skip(part + r));
            offset += n;
        }

        var result = finder.Finish(sampleLimit: 10, sampleFilter: null, new ParallelOptions { MaxDegreeOfParallelism = 2 });
        var (count, samples, duplicateRows) = Reference(hashes, Skip);
        Assert.Equal(count, result.Duplicates);
        Assert.Equal(samples.Take(10), result.Samples);
        Assert.All(Enumerable.Range(0, rows), r => Assert.Equal(duplicateRows.Contains(r), result.Rows.Contains(r)));
    }

    [Fact]
    public void ACloneContinuesWithTheSamePartitioning()
    {
        // Cloned after a few rows while sized for many: a row must land in the same partition in both copies.
        var random = new Random(7);
        var first = Enumerable.Range(0, 3000).Select(_ => RandomHash(random)).ToArray();
        var raw = first.Concat(first.Take(500)).ToArray();
        var normalized = first.Concat(first.Skip(1000).Take(500)).ToArray();
        using var rawFinder = new DuplicateFinder(5_000_000);
        rawFinder.Append(first, 0, null);
        using var normalizedFinder = rawFinder.Clone();
        rawFinder.Append(raw.AsSpan(3000), 3000, null);
        normalizedFinder.Append(normalized.AsSpan(3000), 3000, null);

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = 2 };
        var rawResult = rawFinder.Finish(10, null, parallel);
        var normalizedResult = normalizedFinder.Finish(10, null, parallel);
        Assert.Equal(500, rawResult.Duplicates);
        Assert.Equal((3000L, 0L), rawResult.Samples[0]);
        Assert.Equal(500, normalizedResult.Duplicates);
        Assert.Equal((3000L, 1000L), normalizedResult.Samples[0]);
    }

    private static (long Count, List<(long Row, long First)> Samples, HashSet<long> Rows) Reference(UInt128[] hashes, Func<long, bool> skip)
    {
        var firsts = new Dictionary<UInt128, long>();
        var samples = new List<(long, long)>();
        var rows = new HashSet<long>();
        for (var r = 0; r < hashes.Length; r++)
        {
            if (skip(r))
            {
                continue;
            }

            if (firsts.TryGetValue(hashes[r], out var first))
            {
                samples.Add((r, first));
                rows.Add(r);
            }
            else
            {
                firsts[hashes[r]] = r;
            }
        }

        return (samples.Count, samples, rows);
    }

    private static UInt128 RandomHash(Random random) => new((ulong)random.NextInt64(), (ulong)random.NextInt64());
}
