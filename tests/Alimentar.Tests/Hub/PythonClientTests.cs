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
        var (exit, stdout, stderr) = await PythonClient.RunAsync("smoke.py", hub.Url, LocalHub.Token, "team/python-smoke");
        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        Assert.Equal("ok", stdout.Trim());
        Assert.DoesNotContain(LocalHub.Token, stderr + stdout);
    }

    [Fact]
    public async Task TheEverydayCallsOfHuggingfaceHubWorkAgainstTheServer()
    {
        await using var hub = await LocalHub.StartAsync();
        var (exit, stdout, stderr) = await PythonClient.RunAsync("suite.py", hub.Url, LocalHub.Token, "team");
        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        Assert.StartsWith("ok ", stdout.Trim());
        Assert.DoesNotContain(LocalHub.Token, stderr + stdout);
    }
}
