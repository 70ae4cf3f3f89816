using Alimentar.Tests.Support;

namespace Alimentar.Tests.Cli;

/// <summary>Mistakes on the command line get one line in words, with the closest command or option.</summary>
public sealed class UsageErrorTests
{
    private static readonly string Sample = Path.Combine(TestPaths.Samples, "reviews.parquet");

    [Theory]
    [InlineData(new[] { "qualty", "score", "x" }, "error: unknown command 'qualty' (did you mean 'quality'?)", "Run 'alimentar --help' for usage.")]
    [InlineData(new[] { "quality", "scroe", "x" }, "error: unknown command 'scroe' (did you mean 'score'?)", "Run 'alimentar quality --help' for usage.")]
    [InlineData(new[] { "quality", "score", "SAMPLE", "--jsn" }, "error: unknown option '--jsn' (did you mean '--json'?)", "Run 'alimentar quality score --help' for usage.")]
    [InlineData(new[] { "quality", "score", "SAMPLE", "--min-score", "abc" }, "error: --min-score: 'abc' is not a number", "Run 'alimentar quality score --help' for usage.")]
    public void MistakesAreOneLineWithTheClosestName(string[] args, string error, string hint)
    {
        var result = CliRunner.Run(args.Select(a => a == "SAMPLE" ? Sample : a).ToArray());
        Assert.Equal(2, result.ExitCode);
        Assert.Equal([error, hint], result.Stderr.Trim().Split('\n'));
        Assert.DoesNotContain("System.", result.Stderr);
    }

    // Every command that reads a dataset: a missing input is the one-line error naming it, exit 2, before any
    // network (HF_ENDPOINT points at a closed port: a retry notice would show up on stderr).
    [Theory]
    [InlineData("quality", "score", "MISSING")]
    [InlineData("clean", "MISSING", "--output", "OUT", "--deduplicate")]
    [InlineData("augment", "MISSING", "--output", "OUT", "--add-noise", "0.1", "--noise-originals")]
    [InlineData("card", "generate", "MISSING")]
    [InlineData("card", "validate", "MISSING")]
    [InlineData("publish", "MISSING", "user/repo")]
    [InlineData("hub", "push", "MISSING", "user/repo")]
    public void AMissingInputExitsTwoWithOneLineForEveryCommand(params string[] args)
    {
        var dir = TestPaths.NewTempDir();
        var missing = Path.Combine(dir, "missing.csv");
        var environment = new Dictionary<string, string> { ["HF_TOKEN"] = "hf_test_token_0123456789", ["HF_ENDPOINT"] = "http://127.0.0.1:9" };
        var result = CliRunner.Run(environment, args.Select(a => a switch { "MISSING" => missing, "OUT" => Path.Combine(dir, "out.parquet"), _ => a }).ToArray());
        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"error: {missing}: no such file", result.Stderr.Trim().Replace(" or folder", string.Empty, StringComparison.Ordinal));
        Assert.DoesNotContain("retrying", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(dir, "out.parquet")));
    }
}
