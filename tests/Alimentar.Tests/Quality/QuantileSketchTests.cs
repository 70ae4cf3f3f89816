using Alimentar.Quality.Accumulators;

namespace Alimentar.Tests.Quality;

public sealed class QuantileSketchTests
{
    [Fact]
    public void HoldsEveryValueUpToCapacityAndAnswersExactly()
    {
        var sketch = new QuantileSketch();
        var values = Enumerable.Range(0, QuantileSketch.Capacity).Select(i => (double)((i * 7919) % QuantileSketch.Capacity)).ToArray();
        foreach (var v in values)
        {
            sketch.Add(v);
        }

        Assert.True(sketch.IsExact);
        var sorted = values.Order().ToArray();
        var (q1, q3) = sketch.Quartiles();
        Assert.Equal(Interpolate(sorted, 0.25), q1);
        Assert.Equal(Interpolate(sorted, 0.75), q3);
        Assert.Equal(values.Count(v => v < 100 || v > 30_000), sketch.CountOutside(100, 30_000));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 3)]
    [InlineData(5, 4)]
    [InlineData(1_000, 5)]
    [InlineData(20_000, 6)]
    public void QuartilesEqualTheSortedSampleOnesWithTiesAndSigns(int n, int seed)
    {
        // Selection, not sorting, finds the quartiles: check it against the sorted values, with many ties, negative
        // values, both zeros and infinities.
        var random = new Random(seed);
        var pool = new[] { -0.0, 0.0, double.NegativeInfinity, double.PositiveInfinity, -3.5, 2.25 };
        var values = Enumerable.Range(0, n).Select(_ => random.Next(4) == 0 ? pool[random.Next(pool.Length)] : random.Next(-50, 50) / 4.0).ToArray();
        var sketch = new QuantileSketch();
        foreach (var v in values)
        {
            sketch.Add(v);
        }

        var sorted = values.Order().ToArray();
        var (q1, q3) = sketch.Quartiles();
        Assert.Equal(Interpolate(sorted, 0.25), q1);
        Assert.Equal(Interpolate(sorted, 0.75), q3);
        Assert.Equal(values.Count(v => v < -5 || v > 5), sketch.CountOutside(-5, 5));
    }

    [Theory]
    [InlineData(new[] { double.PositiveInfinity })]
    [InlineData(new[] { double.NegativeInfinity, double.PositiveInfinity })]
    [InlineData(new[] { double.PositiveInfinity, double.PositiveInfinity, 1.0 })]
    [InlineData(new[] { -0.0 })]
    public void QuartilesOfDegenerateSamplesMatchTheSortedFormula(double[] values)
    {
        var sketch = new QuantileSketch();
        foreach (var v in values)
        {
            sketch.Add(v);
        }

        var sorted = values.Order().ToArray();
        Assert.Equal((Interpolate(sorted, 0.25), Interpolate(sorted, 0.75)), sketch.Quartiles());
    }

    [Fact]
    public void SamplesLongStreamsUniformly()
    {
        // Values arrive sorted, the worst order for a biased sampler: a sample favouring early or late
        // positions would shift both quartiles.
        const int n = 1_000_000;
        var sketch = new QuantileSketch();
        for (var i = 0; i < n; i++)
        {
            sketch.Add(i);
        }

        Assert.False(sketch.IsExact);
        Assert.Equal(n, sketch.Count);
        var (q1, q3) = sketch.Quartiles();
        Assert.InRange(q1, 0.24 * n, 0.26 * n);
        Assert.InRange(q3, 0.74 * n, 0.76 * n);
        Assert.InRange(sketch.CountOutside(0.1 * n, 0.9 * n), 0.19 * n, 0.21 * n);
    }

    [Fact]
    public void MergeIsTheSampleOfTheUnionWhateverTheOrder()
    {
        var parts = Enumerable.Range(0, 4).Select(p =>
        {
            var sketch = new QuantileSketch();
            sketch.StartStream(p);
            for (var i = 0; i < 100_000; i++)
            {
                sketch.Add((p * 100_000) + i);
            }

            return sketch;
        }).ToArray();

        QuantileSketch MergeInOrder(IEnumerable<int> order)
        {
            var whole = new QuantileSketch();
            foreach (var p in order)
            {
                whole.Merge(parts[p]);
            }

            return whole;
        }

        var forward = MergeInOrder([0, 1, 2, 3]);
        var shuffled = MergeInOrder([2, 0, 3, 1]);
        Assert.Equal(400_000, forward.Count);
        Assert.Equal(forward.Quartiles(), shuffled.Quartiles());
        Assert.Equal(forward.CountOutside(50_000, 350_000), shuffled.CountOutside(50_000, 350_000));

        // Each part holds a full sample, yet the union's sample draws about a quarter from each.
        var (q1, q3) = forward.Quartiles();
        Assert.InRange(q1, 96_000, 104_000);
        Assert.InRange(q3, 296_000, 304_000);
    }

    [Fact]
    public void PartsSharingABoundGiveTheSameSample()
    {
        // Parts scanned one after another with a shared bound skip most values (a later part starts with an
        // earlier part's threshold); the merged sample must be the one parts sampled independently give.
        // The sample's fingerprint: quartiles, and estimates over many narrow windows (one value more or less in
        // the sample moves an estimate by about Count / Capacity).
        List<double> Whole(bool share)
        {
            var whole = new QuantileSketch();
            var parts = new List<QuantileSketch>();
            var value = 0;
            // Two parts, so the shared bound is within a small factor of the final threshold and a bound that is
            // too tight (below the final threshold) drops values the merged sample needs.
            for (var p = 0; p < 2; p++)
            {
                var part = new QuantileSketch();
                part.StartStream(p, share ? whole : null);
                for (var i = 0; i < 200_000; i++)
                {
                    if (i % 65_536 == 0)
                    {
                        part.CatchUp();
                    }

                    part.Add((value++ * 7919) % 1_000_003);
                }

                parts.Add(part);
            }

            foreach (var part in parts)
            {
                whole.Merge(part);
            }

            var (q1, q3) = whole.Quartiles();
            return [q1, q3, .. Enumerable.Range(0, 400).Select(w => (double)whole.CountOutside(w * 2_500, (w * 2_500) + 1_250))];
        }

        Assert.Equal(Whole(share: false), Whole(share: true));
    }

    [Fact]
    public void SmallPartsMergeExactly()
    {
        var a = new QuantileSketch();
        var b = new QuantileSketch();
        b.StartStream(1);
        foreach (var v in new double[] { 5, 1, 9 })
        {
            a.Add(v);
        }

        foreach (var v in new double[] { 3, 7 })
        {
            b.Add(v);
        }

        a.Merge(b);
        Assert.True(a.IsExact);
        Assert.Equal((3.0, 7.0), a.Quartiles());
        Assert.Equal(2, a.CountOutside(2, 8));
    }

    [Fact]
    public void StreamIsNamedBeforeTheFirstValue()
    {
        var sketch = new QuantileSketch();
        sketch.Add(1);
        Assert.Throws<InvalidOperationException>(() => sketch.StartStream(3));
    }

    private static double Interpolate(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + ((sorted[upper] - sorted[lower]) * (position - lower));
    }
}
