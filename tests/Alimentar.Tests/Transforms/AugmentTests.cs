using Alimentar.Data.Lossless;
using Alimentar.Data.Writing;
using Alimentar.Quality;
using Alimentar.Tests.Support;
using Alimentar.Transforms.Augment;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace Alimentar.Tests.Transforms;

/// <summary>`augment` on hand-built tables: each strategy's exact class counts, SMOTE geometry, noise bounds, provenance.</summary>
public sealed class AugmentTests
{
    private readonly string _dir = TestPaths.NewTempDir();

    [Theory]
    [InlineData(BalanceStrategy.Oversample, 60, 60)]
    [InlineData(BalanceStrategy.Undersample, 12, 12)]
    [InlineData(BalanceStrategy.Smote, 60, 60)]
    [InlineData(BalanceStrategy.Hybrid, 36, 36)]
    public void EachStrategyReachesItsTargetCountsAndMarksGeneratedRows(BalanceStrategy strategy, long pos, long neg)
    {
        var input = Table("train.parquet", majority: 60, minority: 12);
        var result = DatasetAugmenter.Augment(input, new AugmentOptions { Output = Out($"{strategy}.parquet"), BalanceClasses = true, Strategy = strategy, LabelColumn = "label", Seed = 7 });

        Assert.Equal(neg, result.ClassesAfter["neg"]);
        Assert.Equal(pos, result.ClassesAfter["pos"]);
        var rows = Read(Out($"{strategy}.parquet"));
        Assert.Equal(pos + neg, rows.Count);
        Assert.Equal(neg, rows.Count(r => r.Label == "neg"));
        Assert.Equal(result.RowsGenerated, rows.Count(r => r.Augmented));
        Assert.All(rows.Where(r => !r.Augmented), r => Assert.Null(r.SourceRow));
        var original = Read(input);
        foreach (var generated in rows.Where(r => r.Augmented))
        {
            // Labels and ids come from the seed row, never changed.
            var seed = original[(int)generated.SourceRow!.Value];
            Assert.Equal(seed.Label, generated.Label);
            Assert.Equal(seed.Id, generated.Id);
            if (strategy == BalanceStrategy.Oversample)
            {
                Assert.Equal((seed.X, seed.Y, seed.Colour, seed.Text), (generated.X, generated.Y, generated.Colour, generated.Text));
            }
        }
    }

    [Fact]
    public void SmoteRowsLieBetweenTheSeedAndOneOfItsFiveNearestSameClassNeighbours()
    {
        var input = Table("train.parquet", majority: 80, minority: 20);
        DatasetAugmenter.Augment(input, new AugmentOptions { Output = Out("smote.parquet"), BalanceClasses = true, Strategy = BalanceStrategy.Smote, LabelColumn = "label" });
        var original = Read(input);
        var rows = Read(Out("smote.parquet"));

        // Brute-force neighbours on standardized features, the oracle for the k-d tree.
        var xs = original.Select(r => r.X).ToArray();
        var ys = original.Select(r => (double)r.Y).ToArray();
        double Z(double v, double[] all) => (v - all.Average()) / Math.Sqrt(all.Sum(a => (a - all.Average()) * (a - all.Average())) / (all.Length - 1));
        foreach (var g in rows.Where(r => r.Augmented))
        {
            var seedIndex = (int)g.SourceRow!.Value;
            var seed = original[seedIndex];
            var neighbours = original.Select((r, i) => (r, i)).Where(p => p.i != seedIndex && p.r.Label == seed.Label)
                .OrderBy(p => Math.Pow(Z(p.r.X, xs) - Z(seed.X, xs), 2) + Math.Pow(Z(p.r.Y, ys) - Z(seed.Y, ys), 2)).ThenBy(p => p.i).Take(5).Select(p => p.r).ToList();
            Assert.Contains(neighbours, n =>
            {
                // x = seed + u (n - seed) for one u in [0, 1], y the same u rounded (y is an integer column).
                var u = n.X == seed.X ? (double?)null : (g.X - seed.X) / (n.X - seed.X);
                return u is null or (>= -1e-9 and <= 1 + 1e-9) && (u is null || Math.Abs(Math.Round(seed.Y + (u.Value * (n.Y - seed.Y))) - g.Y) <= 1);
            });
            var votes = neighbours.GroupBy(n => n.Colour).OrderByDescending(grp => grp.Count()).First().Count();
            Assert.Equal(votes, neighbours.Count(n => n.Colour == g.Colour));
        }
    }

    [Fact]
    public void NoiseStaysInTheObservedRangeKeepsIntegersAndNeverTouchesLabelsOrIds()
    {
        var input = Table("train.parquet", majority: 50, minority: 50);
        DatasetAugmenter.Augment(input, new AugmentOptions { Output = Out("noise.parquet"), Noise = 0.5, NoiseOriginals = true, SyntheticSamples = 40, LabelColumn = "label" });
        var original = Read(input);
        var rows = Read(Out("noise.parquet"));
        Assert.Equal(140, rows.Count);
        Assert.Equal(40, rows.Count(r => r.Augmented));
        Assert.All(rows, r =>
        {
            Assert.InRange(r.X, original.Min(o => o.X), original.Max(o => o.X));
            Assert.InRange(r.Y, original.Min(o => o.Y), original.Max(o => o.Y));
        });
        var originals = rows.Where(r => !r.Augmented).ToList();
        Assert.Equal(original.Select(o => (o.Id, o.Label)), originals.Select(o => (o.Id, o.Label)));
        Assert.True(originals.Zip(original).Count(p => p.First.X != p.Second.X) > 80, "originals were noised");
    }

    [Fact]
    public void SameSeedSameBytesAndTestSplitsAreRefused()
    {
        var input = Table("train.parquet", majority: 40, minority: 10);
        var options = new AugmentOptions { Output = Out("a.parquet"), BalanceClasses = true, Strategy = BalanceStrategy.Smote, Noise = 0.1, SyntheticSamples = 33, LabelColumn = "label", Seed = 5 };
        var first = DatasetAugmenter.Augment(input, options);
        DatasetAugmenter.Augment(input, options with { Output = Out("b.parquet") });
        Assert.Equal(File.ReadAllBytes(Out("a.parquet")), File.ReadAllBytes(Out("b.parquet")));
        Assert.Equal(33, first.RowsGenerated);

        var test = Table("test.parquet", majority: 10, minority: 5);
        var refused = Assert.Throws<ArgumentException>(() => DatasetAugmenter.Augment(test, options with { Output = Out("t.parquet") }));
        Assert.Contains("evaluation split", refused.Message);
        Assert.False(File.Exists(Out("t.parquet")));
        DatasetAugmenter.Augment(test, options with { Output = Out("t.parquet"), Force = true });
        Assert.True(File.Exists(Out("t.parquet")));

        var typo = Assert.Throws<ArgumentException>(() => DatasetAugmenter.Augment(input, options with { Output = Out("c.parquet"), LabelColumn = "lable" }));
        Assert.Contains("did you mean 'label'", typo.Message);
    }

    [Fact]
    public void IntendedCopiesDoNotLowerTheScoreAndExplicitTargetsAreHonoured()
    {
        var input = Table("train.parquet", majority: 60, minority: 12);
        var result = DatasetAugmenter.Augment(input, new AugmentOptions { Output = Out("t.parquet"), BalanceClasses = true, Target = "neg=30,pos=45", LabelColumn = "label" });
        Assert.Equal(30, result.ClassesAfter["neg"]);
        Assert.Equal(45, result.ClassesAfter["pos"]);
        Assert.Equal(15, result.RowsRemoved);
        Assert.True(result.After.Score >= result.Before.Score, $"{result.After.Score} < {result.Before.Score}");
        Assert.Equal(0, result.After.Duplicates.Exact);
        Assert.Contains(result.Fidelity, f => f.Column == "x" && f.Metric == "ks");
        Assert.Contains(result.Fidelity, f => f.Column == "colour" && f.Metric == "tvd");
    }

    [Fact]
    public void OversamplingATinyTableGivesExactlyTheseRows()
    {
        // 6 rows, classes pos (4) and neg (2): two copies drawn with replacement from the neg rows (row 4 twice at this seed), after the originals.
        var input = Table("tiny.parquet", majority: 4, minority: 2);
        DatasetAugmenter.Augment(input, new AugmentOptions { Output = Out("tiny-out.parquet"), BalanceClasses = true, LabelColumn = "label", Seed = 1 });
        var original = Read(input);
        var rows = Read(Out("tiny-out.parquet"));
        Assert.Equal(original, rows.Take(6).Select(r => r with { Augmented = false, SourceRow = null }));
        Assert.Equal([4L, 4L], rows.Skip(6).Select(r => r.SourceRow!.Value));
        Assert.Equal(rows.Skip(6).Select(r => (r.Id, r.X, r.Y, r.Colour, r.Text, r.Label)), new[] { 4, 4 }.Select(i => (original[i].Id, original[i].X, original[i].Y, original[i].Colour, original[i].Text, original[i].Label)));
    }

    [Fact]
    public void SpellingsOfOneClassAreBalancedAsOneClassAndKeepTheirSpelling()
    {
        // 60 pos rows of which 20 are spelled "Pos ", and 12 neg rows: two classes, not three.
        var input = Table("train.parquet", majority: 60, minority: 12, respell: i => i % 3 == 0 ? "Pos " : null);
        var result = DatasetAugmenter.Augment(input, new AugmentOptions { Output = Out("folded.parquet"), BalanceClasses = true, LabelColumn = "label" });
        Assert.Equal(["pos", "neg"], result.ClassesBefore.Keys);
        Assert.Equal(60, result.ClassesAfter["neg"]);
        Assert.Equal(60, result.ClassesAfter["pos"]);
        var rows = Read(Out("folded.parquet"));
        Assert.Equal(20, rows.Count(r => r.Label == "Pos "));
        Assert.Equal(60, rows.Count(r => r.Label == "neg"));
    }

    private string Out(string name) => Path.Combine(_dir, name);

    private string Table(string name, int majority, int minority, Func<int, string?>? respell = null)
    {
        var random = new Random(majority * 31 + minority);
        var n = majority + minority;
        var ids = new Int64Array.Builder();
        var xs = new DoubleArray.Builder();
        var ys = new Int32Array.Builder();
        var colours = new StringArray.Builder();
        var texts = new StringArray.Builder();
        var labels = new StringArray.Builder();
        string[] palette = ["red", "green", "blue"];
        for (var i = 0; i < n; i++)
        {
            var positive = i < majority;
            ids.Append(1000 + i);
            xs.Append(Math.Round((positive ? 10 : 20) + (random.NextDouble() * 5), 3));
            ys.Append(random.Next(positive ? 0 : 50, positive ? 40 : 90));
            colours.Append(palette[random.Next(3)]);
            texts.Append($"review number {i} says the product was {(positive ? "great" : "poor")} and arrived on day {random.Next(30)}");
            labels.Append(positive ? respell?.Invoke(i) ?? "pos" : "neg");
        }

        var arrays = new IArrowArray[] { ids.Build(), xs.Build(), ys.Build(), colours.Build(), texts.Build(), labels.Build() };
        var schema = new Schema([new Field("id", Int64Type.Default, false), new Field("x", DoubleType.Default, true), new Field("y", Int32Type.Default, true), new Field("colour", StringType.Default, true), new Field("text", StringType.Default, true), new Field("label", StringType.Default, true)], null);
        var path = Out(name);
        using var sink = RecordBatchSink.Create(path, schema);
        sink.Write(new RecordBatch(schema, arrays, n));
        sink.Commit();
        return path;
    }

    private static List<Row> Read(string path)
    {
        using var source = RecordBatchSources.Open(path);
        var rows = new List<Row>();
        foreach (var batch in source.Batches())
        {
            var index = (string name) => source.Schema.GetFieldIndex(name);
            for (var i = 0; i < batch.Length; i++)
            {
                var augmented = index("_augmented") >= 0 && ((BooleanArray)batch.Column(index("_augmented"))).GetValue(i) == true;
                long? sourceRow = index("_source_row") >= 0 ? ((Int64Array)batch.Column(index("_source_row"))).GetValue(i) : null;
                rows.Add(new Row(
                    ((Int64Array)batch.Column(index("id"))).GetValue(i)!.Value,
                    ((DoubleArray)batch.Column(index("x"))).GetValue(i)!.Value,
                    ((Int32Array)batch.Column(index("y"))).GetValue(i)!.Value,
                    ((StringArray)batch.Column(index("colour"))).GetString(i),
                    ((StringArray)batch.Column(index("text"))).GetString(i),
                    ((StringArray)batch.Column(index("label"))).GetString(i),
                    augmented,
                    sourceRow));
            }
        }

        return rows;
    }

    private sealed record Row(long Id, double X, int Y, string Colour, string Text, string Label, bool Augmented, long? SourceRow);
}
