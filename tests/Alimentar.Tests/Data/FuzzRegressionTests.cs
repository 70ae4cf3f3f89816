using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Alimentar.Fuzz;
using Alimentar.Tests.Support;

namespace Alimentar.Tests.Data;

/// <summary>
/// Every input the fuzzer ever failed on (fuzz/regressions/{target}/) is refused with a user-facing error or accepted,
/// and the mutator itself keeps finding such inputs (a run of a few seconds reaches the error paths).
/// </summary>
public sealed class FuzzRegressionTests
{
    private static readonly IReadOnlyList<FuzzTarget> Targets = FuzzTargets.All(TestPaths.RepoRoot);

    public static TheoryData<string, string> SavedInputs()
    {
        var data = new TheoryData<string, string>();
        foreach (var folder in Directory.EnumerateDirectories(Path.Combine(TestPaths.RepoRoot, "fuzz", "regressions")).Order(StringComparer.Ordinal))
        {
            foreach (var file in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetFileName(folder), Path.GetFileName(file));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SavedInputs))]
    public void ASavedFailureNoLongerFails(string target, string file)
    {
        var runner = new FuzzRunner(TestPaths.NewTempDir(), TimeSpan.FromSeconds(30));
        var outcome = runner.RunOne(Targets.Single(t => t.Name == target), File.ReadAllBytes(Path.Combine(TestPaths.RepoRoot, "fuzz", "regressions", target, file)));
        Assert.True(outcome is null or "expected", outcome);
    }

    [Fact]
    public void TheRunnerReportsAnUnexpectedExceptionAndSavesTheInput()
    {
        var findings = TestPaths.NewTempDir();
        var runner = new FuzzRunner(findings, TimeSpan.FromSeconds(5));
        var target = new FuzzTarget("probe", () => ["ok"u8.ToArray()], bytes =>
        {
            if (bytes.Length != 2)
            {
                throw new InvalidOperationException("boom");
            }
        }, ex => ex is FormatException);
        var outcome = runner.Run(target, TimeSpan.FromSeconds(5), seed: 1);
        Assert.Contains("InvalidOperationException: boom", outcome.Failure, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(findings, "probe-*"));
    }

    [Fact]
    public void AnInputThatMakesTheProcessAllocateGigabytesIsAFinding()
    {
        var runner = new FuzzRunner(TestPaths.NewTempDir(), TimeSpan.FromSeconds(30));
        var greedy = new FuzzTarget("greedy", () => ["x"u8.ToArray()], bytes => GC.KeepAlive(new byte[FuzzRunner.MaxAllocatedBytes + (1 << 20)]), _ => false);
        Assert.StartsWith("memory: ", runner.RunOne(greedy, "x"u8.ToArray()), StringComparison.Ordinal);
        var modest = new FuzzTarget("modest", () => ["x"u8.ToArray()], bytes => GC.KeepAlive(new byte[1 << 20]), _ => false);
        Assert.Null(runner.RunOne(modest, "x"u8.ToArray()));
    }

    [Fact]
    public async Task TheCoverageModeInstrumentsTheLibrariesAndGrowsACorpusFromNewEdges()
    {
        var fuzzer = Path.Combine(TestPaths.RepoRoot, "fuzz", "Alimentar.Fuzz", "bin", "Release", "net10.0", "linux-x64", "Alimentar.Fuzz.dll");
        Assert.True(File.Exists(fuzzer), $"{fuzzer} is built by the solution build");
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "exec", fuzzer, "range", "--seconds", "2", "--seed", "1", "--coverage" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = await process.StandardOutput.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(limit.Token);
        Assert.True(process.ExitCode == 0, output + await errors);
        Assert.Contains("instrumented Alimentar.Hub.Protocol.dll", output, StringComparison.Ordinal);
        var line = System.Text.RegularExpressions.Regex.Match(output, @"range: [\d,]+ inputs, 0 refused with a user-facing error, (\d+) edges, corpus (\d+)");
        Assert.True(line.Success, output);
        Assert.True(int.Parse(line.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 10, line.Value);
        Assert.True(int.Parse(line.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) > 6, line.Value); // more than the seeds
    }

    [Fact]
    public async Task YamlThatBrokeTheParserIsA400FromTheServerNotA500()
    {
        var card = Encoding.UTF8.GetString(File.ReadAllBytes(Directory.GetFiles(Path.Combine(TestPaths.RepoRoot, "fuzz", "regressions", "card"))[0]));
        await using var hub = await LocalHub.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(hub.Url) };
        using var response = await http.PostAsync("/api/validate-yaml", new StringContent(new JsonObject { ["content"] = card, ["repoType"] = "dataset" }.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}
