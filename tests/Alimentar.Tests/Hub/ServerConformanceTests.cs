using Alimentar.Tests.Support;

namespace Alimentar.Tests.Hub;

/// <summary>The official @huggingface/hub npm client, unchanged, against alimentar's server.</summary>
public sealed class ServerConformanceTests
{
    [Fact]
    public async Task OfficialJsClientPassesEveryCheck()
    {
        await using var hub = await LocalHub.StartAsync();
        var (exit, output) = Node.Run("--test", new Dictionary<string, string> { ["HF_ENDPOINT"] = hub.Url, ["HF_TOKEN"] = LocalHub.Token }, "hub-conformance.mjs");
        Assert.True(exit == 0, output);
        Assert.Contains("# fail 0", output);
        Assert.Matches(@"# pass (\d{2,})", output);
    }

    [Fact]
    public async Task AccessRulesHoldForEveryRoleThroughTheOfficialJsClient()
    {
        const string alice = "hf_alice_token_0123456789", bob = "hf_bob_token_0123456789", carol = "hf_carol_token_0123456789";
        await using var hub = await LocalHub.StartAsync(users: $"{alice} alice write\n{bob} bob write\n{carol} carol read\n", organizations: "acme alice admin\nacme bob read\n");
        var (exit, output) = Node.Run("--test", new Dictionary<string, string> { ["HF_ENDPOINT"] = hub.Url, ["ALICE"] = alice, ["BOB"] = bob, ["CAROL"] = carol }, "access.mjs");
        Assert.True(exit == 0, output);
        Assert.Contains("# fail 0", output);
        Assert.Contains("# pass 5", output);
        Assert.DoesNotContain(alice, output, StringComparison.Ordinal);
    }
}
