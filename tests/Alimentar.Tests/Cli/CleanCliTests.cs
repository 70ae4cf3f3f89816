using System.Text.Json;
using Alimentar.Tests.Support;

namespace Alimentar.Tests.Cli;

/// <summary>`alimentar clean` run as users run it: the built CLI.</summary>
public sealed class CleanCliTests
{
    private static readonly string Sample = Path.Combine(TestPaths.Samples, "reviews.parquet");
    private readonly string _dir = TestPaths.NewTempDir();

    [Fact]
    public void TheGuidesCommandCleansTheSampleAndTheScoreDoesNotDrop()
    {
        var output = Path.Combine(_dir, "cleaned.parquet");
        var result = CliRunner.Run("clean", Sample, "--output", output, "--remove-nulls", "--deduplicate", "--validate-types", "--normalize-text");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Rows: 2,000 in, 1,689 out", result.Stdout);
        Assert.Matches(@"Quality Score: \d+\.\d% \(Grade [A-D]\) -> \d+\.\d% \(Grade [A-D]\)", result.Stdout);

        var score = CliRunner.Run("quality", "score", output, "--json");
        using var doc = JsonDocument.Parse(score.Stdout);
        Assert.Equal(1689, doc.RootElement.GetProperty("rows").GetInt64());
        Assert.Equal(0, doc.RootElement.GetProperty("duplicates").GetProperty("exact").GetInt64());
    }

    [Fact]
    public void JsonSummaryRemovedFileAndDryRun()
    {
        var output = Path.Combine(_dir, "dry.parquet");
        var removed = Path.Combine(_dir, "removed.jsonl");
        var result = CliRunner.Run("clean", Sample, "--output", output, "--deduplicate", "--dry-run", "--removed", removed, "--json");
        Assert.Equal(0, result.ExitCode);
        Assert.False(File.Exists(output));
        using var doc = JsonDocument.Parse(result.Stdout);
        var root = doc.RootElement;
        Assert.True(root.GetProperty("dryRun").GetBoolean());
        Assert.Equal(2000, root.GetProperty("rowsIn").GetInt64());
        var duplicates = root.GetProperty("rowsRemoved").GetProperty("duplicate").GetInt64();
        Assert.Equal(103, duplicates);
        Assert.Equal(2000 - duplicates, root.GetProperty("rowsOut").GetInt64());
        Assert.True(root.GetProperty("after").GetProperty("dimensions").GetProperty("uniqueness").GetDouble() >= root.GetProperty("before").GetProperty("dimensions").GetProperty("uniqueness").GetDouble());
        Assert.Equal(duplicates, File.ReadAllLines(removed).Length);
    }

    [Fact]
    public void UsageAndInputErrorsAreOneLineWithExitTwoAndNoOutput()
    {
        var output = Path.Combine(_dir, "out.parquet");
        var cases = new[]
        {
            new[] { "clean", Path.Combine(_dir, "missing.parquet"), "--output", output, "--deduplicate" },
            new[] { "clean", Sample, "--output", output },
            new[] { "clean", Sample, "--output", Sample, "--deduplicate" },
            new[] { "clean", Sample, "--output", output, "--remove-nulls", "--columns", "ratin" },
            new[] { "clean", Sample, "--output", Path.Combine(_dir, "out.xlsx"), "--deduplicate" },
            new[] { "clean", Sample, "--output", output, "--deduplicate", "--compression", "rar" },
        };
        foreach (var args in cases)
        {
            var result = CliRunner.Run(args);
            Assert.Equal(2, result.ExitCode);
            Assert.StartsWith("error: ", result.Stderr);
            Assert.Single(result.Stderr.Trim().Split('\n'));
            Assert.False(File.Exists(output));
        }

        Assert.Contains("did you mean 'rating'", CliRunner.Run(cases[3]).Stderr);
    }

    [Fact]
    public void AnUnwritableDestinationIsOneLineNamingThePath()
    {
        var blocker = Path.Combine(_dir, "file");
        File.WriteAllText(blocker, "x");
        var result = CliRunner.Run("clean", Sample, "--output", Path.Combine(blocker, "out.parquet"), "--deduplicate");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(blocker, result.Stderr);
        Assert.Single(result.Stderr.Trim().Split('\n'));
    }
}
