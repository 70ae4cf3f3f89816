using Alimentar.Quality.Accumulators;

namespace Alimentar.Tests.Quality;

public sealed class DistinctCounterTests
{
    [Fact]
    public void MergingExactSetsCountsTheUnionIncludingTheZeroHash()
    {
        // The zero hash lives outside the table's slots (zero marks an empty slot), so it must survive a merge.
        var a = new DistinctCounter();
        var b = new DistinctCounter();
        foreach (var h in new ulong[] { 0, 11, 22, 33 })
        {
            a.Add(h);
        }

        foreach (var h in new ulong[] { 0, 33, 44 })
        {
            b.Add(h);
        }

        a.Merge(b);
        Assert.True(a.IsExact);
        Assert.Equal(5, a.Count());

        var onlyZero = new DistinctCounter();
        onlyZero.Add(0);
        var empty = new DistinctCounter();
        empty.Merge(onlyZero);
        Assert.Equal(1, empty.Count());
    }

    [Fact]
    public void MergeOfOverlappingLargeSetsIsExactUpToTheLimitThenEstimated()
    {
        var random = new Random(3);
        var values = Enumerable.Range(0, 90_000).Select(_ => Hash(random)).ToArray();
        var a = new DistinctCounter();
        var b = new DistinctCounter();
        foreach (var v in values[..60_000])
        {
            a.Add(v);
        }

        foreach (var v in values[30_000..])
        {
            b.Add(v);
        }

        a.Merge(b);
        Assert.True(a.IsExact);
        Assert.Equal(90_000, a.Count());

        var c = new DistinctCounter();
        foreach (var v in Enumerable.Range(0, 50_000).Select(_ => Hash(random)))
        {
            c.Add(v);
        }

        a.Merge(c);
        Assert.False(a.IsExact);
        Assert.InRange(a.Count(), 140_000 * 0.97, 140_000 * 1.03);
    }

    // Counters take well-mixed 64-bit hashes: every bit, the top ones included (the sketch indexes by them).
    private static ulong Hash(Random random)
    {
        Span<byte> bytes = stackalloc byte[8];
        random.NextBytes(bytes);
        return BitConverter.ToUInt64(bytes);
    }
}
