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
}
