using Alimentar.Tests.Support;

namespace Alimentar.Tests.Hub;

/// <summary>A run that waits on the Hub says so, and a fault rule that could never fire is refused.</summary>
public sealed class RetryNoticeTests
{
    [Fact]
    public async Task RetriesAreSaidOnStderrWithTheAttemptAndTheWait()
    {
        const string faults = """{"rules": [{"route": "preupload", "action": "status", "status": 503, "times": 2}]}""";
        await using var hub = await LocalHub.StartAsync(faults);
        var env = new Dictionary<string, string> { ["HF_ENDPOINT"] = hub.Url, ["HF_TOKEN"] = LocalHub.Token };
        var result = CliRunner.Run(env, "hub", "push", Path.Combine(TestPaths.Samples, "reviews.parquet"), "team/retried");

        Assert.True(result.ExitCode == 0, result.Stderr);
        var notices = result.Stderr.Split('\n').Where(l => l.Contains("retrying", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, notices.Count);
        Assert.Matches(@"^HTTP 503: retrying \(attempt 2 of 6\) in \d+(\.\d)? s$", notices[0].Trim());
        Assert.Matches(@"^HTTP 503: retrying \(attempt 3 of 6\) in \d+(\.\d)? s$", notices[1].Trim());
        Assert.DoesNotContain(LocalHub.Token, result.Stderr + result.Stdout);
    }

    [Fact]
    public async Task AMisspeltFaultRouteIsRefusedWithTheClosestName()
    {
        var error = await Assert.ThrowsAsync<FormatException>(() => LocalHub.StartAsync("""{"rules": [{"route": "comit", "action": "status"}]}"""));
        Assert.Contains("unknown fault route 'comit' (did you mean 'commit'?)", error.Message, StringComparison.Ordinal);
    }
}
