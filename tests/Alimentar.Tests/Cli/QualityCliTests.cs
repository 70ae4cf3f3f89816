using System.Text.Json;
using Alimentar.Tests.Support;

namespace Alimentar.Tests.Cli;

/// <summary>Every `alimentar quality` path, run against the built CLI.</summary>
public sealed class QualityCliTests
{
    private static readonly string Sample = Path.Combine(TestPaths.Samples, "reviews.parquet");
    private readonly string _dir = TestPaths.NewTempDir();

    [Fact]
    public void TextReportHasTheGuideShapeAndExitsZeroAtGradeBOrBetter()
    {
        var result = CliRunner.Run("quality", "score", Sample);
        var lines = result.Stdout.Split('\n');
        Assert.Matches(@"^Quality Score: \d+\.\d% \(Grade [AB]\)$", lines[0]);
        Assert.StartsWith("- Completeness: ", lines[1]);
        Assert.StartsWith("- Uniqueness: ", lines[2]);
        Assert.StartsWith("- Consistency: ", lines[3]);
        Assert.StartsWith("- Schema: ", lines[4]);
        Assert.Contains("alimentar clean --deduplicate", result.Stdout);
        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public void JsonOutputHasTheDocumentedTopLevelFields()
    {
        var result = CliRunner.Run("quality", "score", Sample, "--json");
        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Stdout);
        var root = doc.RootElement;
        Assert.Equal(1, root.GetProperty("schemaVersion").GetInt32());
        var score = root.GetProperty("score").GetDouble(); // what `jq '.score'` reads
        Assert.InRange(score, 0, 100);
        Assert.Equal("B", root.GetProperty("grade").GetString()![0] <= 'B' ? "B" : "X");
        foreach (var field in new[] { "publishable", "dimensions", "findings", "columns", "rows", "duplicates", "profile", "inputs" })
        {
            Assert.True(root.TryGetProperty(field, out _), field);
        }

        Assert.Equal(2000, root.GetProperty("rows").GetInt64());
        Assert.True(root.GetProperty("duplicates").GetProperty("exact").GetInt64() > 0);
        Assert.Empty(result.Stderr);
    }

    [Theory]
    [InlineData("ml-training")]
    [InlineData("doctest-corpus")]
    [InlineData("code-translation")]
    public void BuiltInProfilesRun(string profile)
    {
        var result = CliRunner.Run("quality", "score", "--profile", profile, Sample, "--json");
        using var doc = JsonDocument.Parse(result.Stdout);
        Assert.Equal(profile, doc.RootElement.GetProperty("profile").GetString());
        // ml-training: the sample's label has nulls (critical); the others lack their required columns.
        Assert.Equal(1, result.ExitCode);
        var expected = profile == "ml-training" ? "missing-critical" : "required-columns";
        Assert.Contains(doc.RootElement.GetProperty("findings").EnumerateArray(), f => f.GetProperty("id").GetString() == expected);
    }

    [Fact]
    public void GatesFailWithExitOne()
    {
        var poor = TestData.Csv(_dir, "poor.csv", "a,b", "1,", "1,", "1,", "2,x");
        var result = CliRunner.Run("quality", "score", poor, "--json");
        Assert.Equal(1, result.ExitCode);
        Assert.False(JsonDocument.Parse(result.Stdout).RootElement.GetProperty("publishable").GetBoolean());
        Assert.Equal(0, CliRunner.Run("quality", "score", poor, "--min-grade", "D", "--json").ExitCode);
        Assert.Equal(1, CliRunner.Run("quality", "score", Sample, "--min-score", "99.9", "--json").ExitCode);
        Assert.Equal(0, CliRunner.Run("quality", "score", Sample, "--min-score", "50", "--json").ExitCode);
    }

    [Fact]
    public void CustomProfileFileAndFolderOfShards()
    {
        var shards = Path.Combine(_dir, "data");
        Directory.CreateDirectory(shards);
        TestData.Csv(shards, "part-0.csv", "id,y", "1,cat", "2,dog");
        TestData.Csv(shards, "part-1.csv", "id,y", "3,cat", "4,dog");
        var profile = Path.Combine(_dir, "p.yaml");
        File.WriteAllText(profile, "name: mine\nextends: ml-training\ncolumns:\n  label: y\n  key: [id]\nweights: {completeness: 1, uniqueness: 1, consistency: 1, schema: 1}\n");
        var result = CliRunner.Run("quality", "score", "--profile-file", profile, shards, "--json");
        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Stdout);
        Assert.Equal(4, doc.RootElement.GetProperty("rows").GetInt64());
        Assert.Equal("mine", doc.RootElement.GetProperty("profile").GetString());
        Assert.Equal(2, doc.RootElement.GetProperty("inputs").GetArrayLength());

        var glob = CliRunner.Run("quality", "score", Path.Combine(shards, "*.csv"), "--json");
        Assert.Equal(4, JsonDocument.Parse(glob.Stdout).RootElement.GetProperty("rows").GetInt64());
    }

    [Fact]
    public void BadProfileFileNamesTheField()
    {
        var profile = Path.Combine(_dir, "bad.yaml");
        File.WriteAllText(profile, "name: bad\nweights:\n  completness: 0.5\n");
        var result = CliRunner.Run("quality", "score", "--profile-file", profile, Sample);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("weights.completness", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
    }

    [Fact]
    public void ProfilesAreListed()
    {
        var result = CliRunner.Run("quality", "profiles");
        Assert.Equal(0, result.ExitCode);
        foreach (var name in new[] { "default", "ml-training", "doctest-corpus", "code-translation" })
        {
            Assert.Contains(name, result.Stdout);
        }

        var json = CliRunner.Run("quality", "profiles", "--json");
        Assert.Equal(4, JsonDocument.Parse(json.Stdout).RootElement.GetArrayLength());
    }

    [Fact]
    public void ReportsAreWrittenInEveryFormat()
    {
        var md = Path.Combine(_dir, "r.md");
        var html = Path.Combine(_dir, "r.html");
        var junit = Path.Combine(_dir, "r.junit.xml");
        var result = CliRunner.Run("quality", "score", Sample, "--report", md, "--report", html, "--report", junit, "--quiet");
        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("# Data quality report", File.ReadAllText(md));
        var page = File.ReadAllText(html);
        Assert.StartsWith("<!doctype html>", page);
        Assert.DoesNotContain("<script", page);
        Assert.DoesNotContain("http", page.Replace("http-equiv", string.Empty, StringComparison.Ordinal));
        var xml = System.Xml.Linq.XDocument.Load(junit);
        Assert.Equal("testsuites", xml.Root!.Name.LocalName);
        Assert.True(int.Parse(xml.Root.Element("testsuite")!.Attribute("tests")!.Value) >= 5);
    }

    [Fact]
    public void UnreadableInputsGiveOneLineAndExitTwo()
    {
        var notParquet = Path.Combine(_dir, "fake.parquet");
        File.WriteAllText(notParquet, "id,name\n1,a\n");
        var truncated = Path.Combine(_dir, "truncated.parquet");
        var bytes = File.ReadAllBytes(Sample);
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        var encrypted = Path.Combine(TestPaths.ParquetTesting, "parquet-testing", "data", "uniform_encryption.parquet.encrypted");
        foreach (var path in new[] { notParquet, truncated, encrypted, Path.Combine(_dir, "missing.parquet") })
        {
            var result = CliRunner.Run("quality", "score", path);
            Assert.Equal(2, result.ExitCode);
            var line = Assert.Single(result.Stderr.Trim().Split('\n'));
            Assert.StartsWith("error: ", line);
            Assert.Contains(Path.GetFileName(path), line);
        }

        var verbose = CliRunner.Run("quality", "score", truncated, "--verbose");
        Assert.Contains("   at ", verbose.Stderr);
    }

    [Fact]
    public void UsageErrorsExitTwo()
    {
        Assert.Equal(2, CliRunner.Run("quality", "score").ExitCode);
        Assert.Equal(2, CliRunner.Run("quality", "score", Sample, "--profile", "nope").ExitCode);
        Assert.Equal(2, CliRunner.Run("quality", "score", Sample, "--min-grade", "Z").ExitCode);
        Assert.Equal(2, CliRunner.Run("quality", "score", Sample, "--report", Path.Combine(_dir, "x.pdf")).ExitCode);
    }

    [Fact]
    public void InputIsNeverModified()
    {
        var before = File.ReadAllBytes(Sample);
        CliRunner.Run("quality", "score", Sample, "--json");
        Assert.Equal(before, File.ReadAllBytes(Sample));
    }

    [Fact]
    public void TheTextReportNamesTheFileShowsEachColumnAndNamesWhatIsInconsistent()
    {
        var sample = Path.Combine(TestPaths.Samples, "reviews.parquet");
        var result = CliRunner.Run("quality", "score", sample);
        var lines = result.Stdout.Split('\n').Select(l => l.TrimEnd()).ToList();
        Assert.Contains($"{sample}: 2,000 rows, 4 columns, profile default", lines);
        Assert.Contains(lines, l => l.Contains("rating", StringComparison.Ordinal) && l.Contains("117 (5.9%)", StringComparison.Ordinal) && l.Contains("1 .. 4500", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("text", StringComparison.Ordinal) && l.Contains("mean length 119.2", StringComparison.Ordinal));
        Assert.Contains("- Consistency: 98.6% (37 with encoding problems, 108 with stray whitespace, 138 misspelt categories, 4 outliers)", lines);
        Assert.DoesNotContain("malformed", result.Stdout, StringComparison.Ordinal);
    }
}
