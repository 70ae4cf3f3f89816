using Alimentar.Quality;
using Alimentar.Quality.Profiles;
using Alimentar.Tests.Support;

namespace Alimentar.Tests.Quality;

/// <summary>
/// NA, None, nil and '-' are missing where a column holds numbers, dates or booleans, and values in a text column
/// (Namibia's code, a damage level) unless the profile names its own tokens: the one definition of a missing cell.
/// </summary>
public sealed class NullTokenTests
{
    private readonly string _dir = TestPaths.NewTempDir();

    [Fact]
    public void NamibiasCodeIsAValueAndTheReportSaysHowToCountItAsMissing()
    {
        var path = Write("countries.csv", "country,code", "Namibia,NA", "France,FR", "Chad,TD", "Peru,PE");
        var report = QualityChecker.Score(path);

        Assert.DoesNotContain(report.Findings, f => f.Id.StartsWith("missing", StringComparison.Ordinal));
        Assert.Equal(100, report.Dimensions.Completeness.Score);
        var note = Assert.Single(report.Findings, f => f.Id == "token-as-value");
        Assert.Equal(Severity.Info, note.Severity);
        Assert.Equal("Column 'code': 'NA' in 25% of the rows is read as a value, not as missing, because the column holds text; if it means missing, add it to null_tokens", note.Message);
        Assert.Equal("A", report.Grade);
        Assert.Equal(0, CliRunner.Run("quality", "score", path).ExitCode);

        // clean --remove-nulls keeps Namibia.
        var output = Path.Combine(_dir, "countries.parquet");
        var clean = CliRunner.Run("clean", path, "--output", output, "--remove-nulls", "--quiet");
        Assert.True(clean.ExitCode == 0, clean.Stderr);
        Assert.Equal(4, QualityChecker.Score(output).Rows);
    }

    [Fact]
    public void NaInANumericColumnIsMissing()
    {
        var path = Write("numbers.csv", "x,name", "1,a", "NA,b", "3,c", "none,d", "5,e");
        var report = QualityChecker.Score(path);
        var missing = Assert.Single(report.Findings, f => f.Id == "missing-values");
        Assert.Equal(["x"], missing.Columns);
        Assert.Equal(2, missing.Count);
        Assert.DoesNotContain(report.Findings, f => f.Id == "token-as-value");
    }

    [Fact]
    public void ADamageLevelNamedNoneIsAValueAndDashesInDatesAreMissing()
    {
        var path = Write("strikes.csv", "damage,date", "None,2024-01-02", "Minor,-", "None,2024-02-03", "Substantial,2024-03-04", "None,2024-04-05");
        var report = QualityChecker.Score(path);
        var missing = Assert.Single(report.Findings, f => f.Id == "missing-values");
        Assert.Equal(["date"], missing.Columns);
        Assert.Equal(1, missing.Count);
        var note = Assert.Single(report.Findings, f => f.Id == "token-as-value");
        Assert.Equal(["damage"], note.Columns);
        Assert.Equal(3, note.Count);
    }

    [Fact]
    public void AProfileThatNamesItsTokensCountsThemAsMissingEverywhere()
    {
        var path = Write("countries.csv", "country,code", "Namibia,NA", "France,FR", "Chad,TD");
        var profile = ProfileLoader.Parse("name: strict-na\nnull_tokens: [\"\", na]\n");
        var report = QualityChecker.Score([path], new QualityOptions { Profile = profile });
        var missing = Assert.Single(report.Findings, f => f.Id == "missing-values");
        Assert.Equal(["code"], missing.Columns);
        Assert.DoesNotContain(report.Findings, f => f.Id == "token-as-value");
    }

    [Fact]
    public void AMostlyEmptyColumnIsAdvisedToBeDroppedNotToLoseItsRows()
    {
        var path = Write("comments.csv", ["id,US DVD Sales", .. Enumerable.Range(0, 20).Select(i => i % 10 == 0 ? $"{i},{i * 100}" : $"{i},")]);
        var finding = Assert.Single(QualityChecker.Score(path).Findings, f => f.Id == "missing-values");
        Assert.EndsWith("(90%; 18 null, 0 NaN/blank/null-token): mostly empty", finding.Message, StringComparison.Ordinal);
        Assert.Equal("alimentar clean --drop-columns 'US DVD Sales', or declare it nullable (columns.nullable in a profile)", finding.Suggestion);
    }

    private string Write(string name, params string[] lines)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllLines(path, lines);
        return path;
    }
}
