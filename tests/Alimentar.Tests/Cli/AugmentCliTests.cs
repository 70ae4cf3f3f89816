using System.Text.Json;
using Alimentar.Tests.Support;

namespace Alimentar.Tests.Cli;

/// <summary>`alimentar augment` run as users run it: the built CLI.</summary>
public sealed class AugmentCliTests
{
    private static readonly string Sample = Path.Combine(TestPaths.Samples, "reviews.parquet");
    private readonly string _dir = TestPaths.NewTempDir();

    [Fact]
    public void TheGuidesCommandAugmentsTheSampleAndTheCopiesAreNotDuplicates()
    {
        var output = Path.Combine(_dir, "augmented.parquet");
        var result = CliRunner.Run("augment", Sample, "--output", output, "--balance-classes", "--label-column", "label", "--add-noise", "0.1", "--synthetic-samples", "1000", "--json");
        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Stdout);
        var root = doc.RootElement;
        Assert.Equal(1000, root.GetProperty("rowsGenerated").GetInt64());
        Assert.Equal(3000, root.GetProperty("rowsOut").GetInt64());
        Assert.Equal("protected", root.GetProperty("columns").GetProperty("review_id").GetString());

        var score = CliRunner.Run("quality", "score", output, "--json");
        using var after = JsonDocument.Parse(score.Stdout);
        Assert.Equal(3000, after.RootElement.GetProperty("rows").GetInt64());
        Assert.Equal(root.GetProperty("before").GetProperty("duplicates").GetInt64(), after.RootElement.GetProperty("duplicates").GetProperty("exact").GetInt64());
    }

    [Fact]
    public void MistakesAreOneLineAndExitTwoAndDryRunWritesNothing()
    {
        var output = Path.Combine(_dir, "out.parquet");
        var typo = CliRunner.Run("augment", Sample, "--output", output, "--balance-classes", "--label-column", "lable");
        Assert.Equal(2, typo.ExitCode);
        Assert.Contains("did you mean 'label'", typo.Stderr);
        Assert.Single(typo.Stderr.Trim().Split('\n'), l => l.StartsWith("error:", StringComparison.Ordinal));

        var nothing = CliRunner.Run("augment", Sample, "--output", output);
        Assert.Equal(2, nothing.ExitCode);
        Assert.Contains("nothing to do", nothing.Stderr);

        var dry = CliRunner.Run("augment", Sample, "--output", output, "--balance-classes", "--label-column", "label", "--dry-run");
        Assert.Equal(0, dry.ExitCode);
        Assert.Contains("Dry run", dry.Stdout);
        Assert.False(File.Exists(output));
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }

    [Fact]
    public void BareAlimentarShowsTheCommandsAndExitsZero()
    {
        var result = CliRunner.Run();
        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Stderr.Trim());
        foreach (var command in new[] { "quality", "clean", "augment", "hub" })
        {
            Assert.Contains(command, result.Stdout);
        }
    }
}
