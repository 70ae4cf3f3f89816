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

    [Fact]
    public async Task APrivateRepoLooksToOutsidersAsIfItDidNotExist()
    {
        const string alice = "hf_alice_python_0000001", bob = "hf_bob_python_00000002";
        await using var hub = await LocalHub.StartAsync(users: $"{alice} alice write\n{bob} bob write\n", organizations: "acme bob read\n");
        var cache = TestPaths.NewTempDir();
        var (exit, stdout, stderr) = await PythonClient.RunAsync("access.py", hub.Url, LocalHub.Token, new Dictionary<string, string> { ["CACHE"] = cache }, alice, bob);
        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        Assert.Equal("ok", stdout.Trim());
        Assert.DoesNotContain(bob, stderr + stdout);
    }
}
