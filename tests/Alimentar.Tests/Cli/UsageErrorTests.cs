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
}
