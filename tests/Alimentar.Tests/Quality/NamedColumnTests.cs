using Alimentar.Tests.Support;

namespace Alimentar.Tests.Quality;

/// <summary>A typo in a column name must not switch the gate's checks off: it is refused with the closest name.</summary>
public sealed class NamedColumnTests
{
    private static readonly string Sample = Path.Combine(TestPaths.Samples, "reviews.parquet");
    private readonly string _dir = TestPaths.NewTempDir();

    [Fact]
    public void AMistypedLabelColumnIsRefusedNotIgnored()
    {
        var result = CliRunner.Run("quality", "score", Sample, "--profile", "ml-training", "--label-column", "lable");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("error: --label-column 'lable': the dataset has no such column (did you mean 'label'? columns: 'review_id', 'rating', 'label', 'text')", result.Stderr.Trim());
    }

    [Theory]
    [InlineData("columns:\n  label: lable\n", "columns.label names 'lable'")]
    [InlineData("columns:\n  nullable: [txt]\n", "columns.nullable names 'txt'")]
    [InlineData("patterns:\n  - { column: ratng, min_length: 1 }\n", "patterns[0].column names 'ratng'")]
    public void AProfileNamingAColumnTheDataLacksIsRefused(string yaml, string expected)
    {
        var profile = Path.Combine(_dir, "p.yaml");
        File.WriteAllText(profile, "name: typo\n" + yaml);
        var result = CliRunner.Run("quality", "score", Sample, "--profile-file", profile);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Stderr);
        Assert.Contains("did you mean", result.Stderr);
    }

    [Fact]
    public void ARequiredColumnThatIsMissingStaysACriticalFailure()
    {
        var profile = Path.Combine(_dir, "required.yaml");
        File.WriteAllText(profile, "name: req\ncolumns:\n  required: [review_id, summary]\n");
        var report = Alimentar.Quality.QualityChecker.Score(Sample, new Alimentar.Quality.QualityOptions { Profile = Alimentar.Quality.Profiles.ProfileLoader.LoadFile(profile) });
        Assert.Equal("D", report.Grade);
        Assert.Contains(report.CriticalFailures, c => c.Contains("summary", StringComparison.Ordinal));
    }
}
