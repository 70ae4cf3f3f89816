using Alimentar.Quality;
using Alimentar.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using TestData = Alimentar.Tests.Support.TestData;

namespace Alimentar.Tests.Quality;

/// <summary>Properties of the model: monotonic in defects, and independent of how rows are split into parts.</summary>
public sealed class ModelPropertyTests
{
    private static readonly string[] Alphabet = ["a", "b", "c", "d"];

    [Fact]
    public void ScoreNeverRisesWhenCellsAreBlanked()
    {
        var dir = TestPaths.NewTempDir();
        var gen = from rows in Gen.Choose(3, 12)
                  from cells in Gen.ArrayOf(Gen.Elements(Alphabet), rows * 3)
                  from victims in Gen.ArrayOf(Gen.Choose(0, 8), 3)
                  select (rows, cells, victims);
        Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var (rows, cells, victims) = t;
            (rows, cells) = DistinctRows(rows, cells);
            return ScoreNeverRises(dir, rows, cells, victims.Select(v => (Func<string[], bool>)(damaged =>
            {
                if (DistinctRows(rows, damaged).Rows < rows)
                {
                    return false; // a blank created a duplicate; blanking inside it would legitimately un-duplicate it
                }

                damaged[v % damaged.Length] = string.Empty;
                return true;
            })));
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void ScoreNeverRisesWhenRowsAreOverwrittenByDuplicates()
    {
        var dir = TestPaths.NewTempDir();
        var gen = from rows in Gen.Choose(3, 12)
                  from cells in Gen.ArrayOf(Gen.Elements(Alphabet), rows * 3)
                  from copies in Gen.ArrayOf(Gen.Two(Gen.Choose(0, rows - 1)), 3)
                  select (rows, cells, copies);
        Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var (rows, cells, copies) = t;
            return ScoreNeverRises(dir, rows, cells, copies.Select(c => (Func<string[], bool>)(current =>
            {
                Array.Copy(current, c.Item1 * 3, current, c.Item2 * 3, 3);
                return true;
            })));
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void MergingRowGroupsEqualsOnePassOverTheWhole()
    {
        var dir = TestPaths.NewTempDir();
        var random = new Random(7);
        const int n = 3000;
        var ids = Enumerable.Range(0, n).Select(i => i % 97 == 0 ? (long?)null : i % 1000).ToArray();
        var labels = Enumerable.Range(0, n).Select(i => i % 53 == 0 ? null : i % 89 == 0 ? " Pos" : random.Next(3) switch { 0 => "pos", 1 => "neg", _ => "neu" }).ToArray();
        var values = Enumerable.Range(0, n).Select(i => i % 61 == 0 ? (double?)null : i % 211 == 0 ? double.NaN : random.NextDouble() * (i % 500 == 0 ? 1e6 : 10)).ToArray();
        var whole = TestData.Parquet(Path.Combine(dir, "whole.parquet"), ids, labels, values, n);
        var split = TestData.Parquet(Path.Combine(dir, "split.parquet"), ids, labels, values, 217);

        var a = QualityChecker.Score(whole, new QualityOptions { MaxDegreeOfParallelism = 1 });
        var b = QualityChecker.Score(split, new QualityOptions { MaxDegreeOfParallelism = 2 });
        Assert.Equal(a.Score, b.Score);
        Assert.Equal(a.Rows, b.Rows);
        Assert.Equal(a.Duplicates.Exact, b.Duplicates.Exact);
        Assert.Equal(Strip(a), Strip(b));
    }

    // Blanking a cell of a duplicated row makes it unique, which legitimately raises Uniqueness more than it
    // costs Completeness; the property is about tables whose rows start distinct.
    /// <summary>
    /// Applies the damage steps one after another to a copy of the cells; false if the score ever rose. A step
    /// returns false (before changing anything) to end the sequence early.
    /// </summary>
    private static bool ScoreNeverRises(string dir, int rows, string[] cells, IEnumerable<Func<string[], bool>> steps)
    {
        var current = (string[])cells.Clone();
        var before = Score(dir, rows, current);
        foreach (var step in steps)
        {
            if (!step(current))
            {
                break;
            }

            var after = Score(dir, rows, current);
            if (after > before + 1e-9)
            {
                return false;
            }

            before = after;
        }

        return true;
    }

    private static (int Rows, string[] Cells) DistinctRows(int rows, string[] cells)
    {
        var distinct = Enumerable.Range(0, rows).Select(r => string.Join(',', cells.Skip(r * 3).Take(3))).Distinct().ToList();
        return (distinct.Count, distinct.SelectMany(r => r.Split(',')).ToArray());
    }

    private static string Strip(QualityReport report) =>
        Alimentar.Quality.Reports.ReportWriters.ToJson(report with { Inputs = [], DeclaredRows = null });

    private static double Score(string dir, int rows, string[] cells)
    {
        var lines = new List<string> { "x,y,z" };
        for (var r = 0; r < rows; r++)
        {
            lines.Add(string.Join(',', cells.Skip(r * 3).Take(3)));
        }

        var path = TestData.Csv(dir, Guid.NewGuid().ToString("N") + ".csv", lines.ToArray());
        var report = QualityChecker.Score(path);
        File.Delete(path);
        return report.Score;
    }
}
