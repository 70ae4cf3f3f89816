using Alimentar.Tests.Support;

namespace Alimentar.Tests.Hub;

/// <summary>
/// The official Python client (`../shared/clients`, run from source on Debian's Python) against the server. .ci/run
/// installs its Debian dependencies.
/// </summary>
public sealed class PythonClientTests
{
    [Fact]
    public async Task RepoInformationCommitsTreeAndDownloadsWorkThroughHuggingfaceHub()
    {
        await using var hub = await LocalHub.StartAsync();
        var script = Path.Combine(TestPaths.RepoRoot, "conformance", "python", "smoke.py");
        var home = TestPaths.NewTempDir();
        var start = new System.Diagnostics.ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add("team/python-smoke");
        start.Environment["PYTHONPATH"] = Path.Combine(TestPaths.Shared, "clients", "huggingface_hub", "src");
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        start.Environment["HF_ENDPOINT"] = hub.Url;
        start.Environment["HF_TOKEN"] = LocalHub.Token;
        start.Environment["HF_HUB_DISABLE_XET"] = "1";
        start.Environment["HF_HUB_DISABLE_TELEMETRY"] = "1";
        start.Environment["HF_HOME"] = home;
        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(120_000), "the Python client did not finish in 2 minutes");
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {await stderr}");
        Assert.Equal("ok", (await stdout).Trim());
        Assert.DoesNotContain(LocalHub.Token, await stderr + await stdout);
    }
}
