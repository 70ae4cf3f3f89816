using Alimentar.Quality;
using Alimentar.Quality.Profiles;
using Alimentar.Tests.Support;

namespace Alimentar.Tests.Quality;

/// <summary>Label findings count classes as the category fold does: a spelling variant is not a minority class.</summary>
public sealed class LabelFindingTests
{
    private readonly string _dir = TestPaths.NewTempDir();

    [Fact]
    public void SpellingVariantsDoNotMakeALabelLookImbalanced()
    {
        var report = QualityChecker.Score(Path.Combine(TestPaths.Samples, "reviews.parquet"), new QualityOptions { Profile = BuiltInProfiles.MlTraining, LabelColumn = "label" });
        Assert.DoesNotContain(report.Findings, f => f.Id == "class-imbalance");
        Assert.Contains(report.Findings, f => f.Id == "category-spellings");
    }

    [Fact]
    public void ARealImbalanceIsStillReportedWhateverTheSpelling()
    {
        var lines = new List<string> { "id,label" };
        lines.AddRange(Enumerable.Range(0, 950).Select(i => $"{i},{(i % 2 == 0 ? "yes" : "Yes")}"));
        lines.AddRange(Enumerable.Range(950, 50).Select(i => $"{i},no"));
        var path = TestData.Csv(_dir, "skewed.csv", [.. lines]);
        var report = QualityChecker.Score(path, new QualityOptions { Profile = BuiltInProfiles.MlTraining, LabelColumn = "label" });
        var finding = Assert.Single(report.Findings, f => f.Id == "class-imbalance");
        Assert.Contains("ratio 19", finding.Message);
    }

    [Fact]
    public void TheSampleUnderMlTrainingScoresExactlyWithItsSpellingsAsOneFinding()
    {
        // Grade D is forced by the 68 missing labels, not by an imbalance: classes folded, spellings reported apart.
        var run = CliRunner.Run("quality", "score", Path.Combine(TestPaths.Samples, "reviews.parquet"), "--profile", "ml-training", "--label-column", "label", "--json", "--quiet");
        Assert.Equal(1, run.ExitCode);
        var report = System.Text.Json.Nodes.JsonNode.Parse(run.Stdout)!;
        Assert.Equal(("D", 96.3), ((string)report["grade"]!, (double)report["score"]!));
        Assert.Equal(["critical column 'label' has 68 missing cells"], report["criticalFailures"]!.AsArray().Select(c => (string)c!));
        Assert.Equal(
            ["missing-critical critical 68", "category-spellings warn 138", "missing-values warn 117", "exact-duplicates warn 103", "encoding warn 37", "whitespace info 70", "missing-values info 41", "whitespace info 38", "outliers info 4"],
            report["findings"]!.AsArray().Select(f => $"{f!["id"]} {f["severity"]} {f["count"]}"));
    }
}
