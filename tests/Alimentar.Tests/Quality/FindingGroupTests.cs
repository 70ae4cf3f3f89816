using System.Text;
using Alimentar.Quality;
using Alimentar.Tests.Support;

namespace Alimentar.Tests.Quality;

/// <summary>A rule that fires on many columns alike is one finding that names them, not one line per column.</summary>
public sealed class FindingGroupTests
{
    [Fact]
    public void ManyColumnsWithTheSameFindingAreOneFindingThatNamesThem()
    {
        // 30 year columns, column y{k} missing in k+6 of 100 rows (all WARN), and 3 text columns with edge whitespace.
        var path = Path.Combine(TestPaths.NewTempDir(), "budget.csv");
        var text = new StringBuilder(string.Join(',', Enumerable.Range(0, 30).Select(k => $"y{k}").Append("a").Append("b").Append("c"))).Append('\n');
        for (var r = 0; r < 100; r++)
        {
            var cells = Enumerable.Range(0, 30).Select(k => r < k + 6 ? string.Empty : r.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var edge = r == 0 ? " x" : "x";
            text.Append(string.Join(',', cells.Append(edge).Append(edge + "y").Append(edge + "z"))).Append('\n');
        }

        File.WriteAllText(path, text.ToString());
        var report = QualityChecker.Score([path]);

        var missing = Assert.Single(report.Findings, f => f.Id == "missing-values");
        Assert.Equal(30, missing.Columns.Count);
        Assert.Equal("y29", missing.Columns[0]); // the worst first
        Assert.StartsWith("30 columns alike ('y29', 'y28', 'y27', 'y26', 'y25', 'y24', 'y23', 'y22', 'y21', 'y20' and 20 more; 6% to 35%); the worst: Column 'y29' has 35 missing cells", missing.Message, StringComparison.Ordinal);
        Assert.Equal(Enumerable.Range(0, 30).Sum(k => k + 6), missing.Count);
        Assert.Equal(0.35, missing.Rate, 6);
        Assert.Equal([0L, 1, 2, 3, 4], missing.SampleRows);
        Assert.Equal("alimentar clean --remove-nulls --columns y29", missing.Suggestion);

        // Three columns are not many: each keeps its own finding.
        var few = report.Findings.Where(f => f.Columns.Any(c => c is "a" or "b" or "c")).ToList();
        Assert.NotEmpty(few);
        Assert.All(few, f => Assert.Single(f.Columns));
        Assert.All(few.GroupBy(f => f.Id), g => Assert.Equal(3, g.Count()));
    }
}
