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
}
