using System.Globalization;
using System.Text;
using System.Text.Json;
using Alimentar.Quality;
using Alimentar.Quality.Reports;
using Alimentar.Tests.Support;

namespace Alimentar.Tests.Quality;

/// <summary>
/// The HTML report as a person sees it: rendered by headless Chromium (conformance/report.mjs, through Playwright)
/// and checked against the JSON report of the same run; plus its size and escaping on hostile and wide inputs.
/// </summary>
public sealed class HtmlReportTests
{
    [Fact]
    public void TheSampleReportRendersInChromiumWithEveryChartScoreAndFinding()
    {
        var dir = TestPaths.NewTempDir();
        var (html, json) = (Path.Combine(dir, "r.html"), Path.Combine(dir, "r.json"));
        var run = CliRunner.Run("quality", "score", Path.Combine(TestPaths.Samples, "reviews.csv"), "--profile", "ml-training", "--label-column", "label", "--near-duplicates", "--report", html, "--report", json, "-q");
        Assert.Equal(1, run.ExitCode);
        var output = RenderInChromium(html, json);
        Assert.Contains("# pass 5", output);
    }

    [Fact]
    public void AGradeForcedByACriticalFailureSaysSoOnThePageAndHostileNamesAreEscaped()
    {
        // Clean data but for six empty cells in a column the profile marks critical: the score stays high, the
        // grade is forced to D. The column names and values carry markup that must be shown, not interpreted.
        var dir = TestPaths.NewTempDir();
        var lines = new List<string> { "id,<b>\"name\"</b>,score,when" };
        for (var i = 0; i < 300; i++)
        {
            lines.Add($"{i},\"<script>x{i % 7}</script>\",{(i * 37 % 101).ToString(CultureInfo.InvariantCulture)}.25,{(i % 50 == 0 ? string.Empty : $"2024-01-{1 + (i % 28):00}")}");
        }

        var csv = TestData.Csv(dir, "forced.csv", [.. lines]);
        File.WriteAllText(Path.Combine(dir, "p.yaml"), "name: strict\ncolumns:\n  critical: [when]\n");
        var (html, json) = (Path.Combine(dir, "r.html"), Path.Combine(dir, "r.json"));
        var run = CliRunner.Run("quality", "score", csv, "--profile-file", Path.Combine(dir, "p.yaml"), "--report", html, "--report", json, "-q");
        var report = JsonDocument.Parse(File.ReadAllText(json)).RootElement;
        Assert.Equal("D", report.GetProperty("grade").GetString());
        Assert.True(report.GetProperty("score").GetDouble() >= 95, run.Stdout);
        Assert.Equal(1, run.ExitCode);

        var page = File.ReadAllText(html);
        Assert.DoesNotContain("<script>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>\"name\"", page, StringComparison.Ordinal);
        var output = RenderInChromium(html, json);
        Assert.Contains("# pass 5", output);
    }

    [Fact]
    public void AWideTableStaysNearOneMegabyteWithCardsForTheFirstColumnsAndRowsForTheRest()
    {
        var dir = TestPaths.NewTempDir();
        var header = string.Join(",", Enumerable.Range(0, 1500).Select(c => $"feature_{c}"));
        var rows = Enumerable.Range(0, 50).Select(r => string.Join(",", Enumerable.Range(0, 1500).Select(c => ((r * 31) + (c * 17)) % 97)));
        var csv = TestData.Csv(dir, "wide.csv", [header, .. rows]);
        var report = QualityChecker.Score([csv], new QualityOptions());
        var html = ReportWriters.ToHtml(report);

        Assert.InRange(Encoding.UTF8.GetByteCount(html), 100_000, 1_100_000);
        Assert.Equal(HtmlReport.MaxCards, CountOf(html, "<section class=\"card\""));
        Assert.Contains("<table id=\"more-columns\">", html, StringComparison.Ordinal);
        Assert.Contains("300 more columns in the JSON report.", html, StringComparison.Ordinal);

        // Distributions are reported for the first 1,000 columns, so a 100,000-column JSON report stays readable.
        Assert.All(report.Columns.Take(ColumnReport.DistributionColumns), c => Assert.NotNull(c.Histogram));
        Assert.All(report.Columns.Skip(ColumnReport.DistributionColumns), c => Assert.Null(c.Histogram));
        Assert.Equal(50, report.Columns[0].Histogram!.Counts.Sum());
    }

    [Fact]
    public void TopValuesAreExactCountsMostCommonFirstAndHistogramsCountEveryValue()
    {
        var dir = TestPaths.NewTempDir();
        var lines = new List<string> { "colour,size" };
        lines.AddRange(Enumerable.Repeat("red,1", 50));
        lines.AddRange(Enumerable.Repeat("blue,2", 30));
        lines.AddRange(Enumerable.Repeat("Red ,10", 5));
        var report = QualityChecker.Score([TestData.Csv(dir, "c.csv", [.. lines])], new QualityOptions());

        var colour = report.Columns.Single(c => c.Name == "colour");
        Assert.Equal([new ValueCount("'red'", 50), new ValueCount("'blue'", 30), new ValueCount("'Red '", 5)], colour.TopValues);
        var size = report.Columns.Single(c => c.Name == "size").Histogram!;
        Assert.Equal((1, 10, false), (size.Min, size.Max, size.Estimated));
        Assert.Equal(50, size.Counts[0]);
        Assert.Equal(30, size.Counts[2]);
        Assert.Equal(5, size.Counts[^1]);
        Assert.Equal(85, size.Counts.Sum());
    }

    private static string RenderInChromium(string html, string json)
    {
        if (!File.Exists(Environment.GetEnvironmentVariable("CHROMIUM") ?? "/usr/bin/chromium"))
        {
            throw new InvalidOperationException("Chromium is missing: install Debian's chromium package (./test.sh does)");
        }

        var (exit, output) = Node.Run("--test", new Dictionary<string, string> { ["REPORT"] = html, ["EXPECT"] = json }, "report.mjs");
        Assert.True(exit == 0, output);
        Assert.Contains("# fail 0", output);
        return output;
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
