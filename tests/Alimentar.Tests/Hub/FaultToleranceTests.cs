using System.Diagnostics;
using Alimentar.Hub.Client;
using Alimentar.Hub.Repos;
using Alimentar.Tests.Support;

namespace Alimentar.Tests.Hub;

/// <summary>Pushes through the server's fault injection end with exactly the expected files in exactly one new commit.</summary>
public sealed class FaultToleranceTests
{
    private static readonly RepoId Repo = new(RepoType.Dataset, "faults", "data");

    [Fact]
    public async Task Http500TwiceOnTheLfsPutIsRetried()
    {
        var (commits, logs) = await PushThrough("""{ "rules": [ { "route": "lfs-upload", "status": 500, "times": 2 } ] }""", Bytes.Deterministic(500_000, 1));
        Assert.Equal(1, commits);
        Assert.Equal(2, logs.Count(l => l.Contains("HTTP 500", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Http429WithRetryAfterOnTheBatchCallIsHonoured()
    {
        var watch = Stopwatch.StartNew();
        var (commits, logs) = await PushThrough("""{ "rules": [ { "route": "lfs-batch", "status": 429, "retryAfter": 1, "times": 1 } ] }""", Bytes.Deterministic(400_000, 2));
        Assert.Equal(1, commits);
        Assert.Contains(logs, l => l.Contains("HTTP 429", StringComparison.Ordinal) && l.Contains("in 1 s", StringComparison.Ordinal));
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(1), "the client waited for Retry-After");
    }

    [Fact]
    public async Task DroppedConnectionInTheMiddleOfAMultipartPartIsRetried()
    {
        var (commits, logs) = await PushThrough("""{ "rules": [ { "route": "lfs-part", "action": "drop", "nth": [2] } ] }""", Bytes.Deterministic((3 * 1024 * 1024) + 5, 3));
        Assert.Equal(1, commits);
        Assert.Contains(logs, l => l.Contains("retrying", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Http503OnTheCommitAfterTheServerAppliedItMakesNoSecondCommit()
    {
        var (commits, logs) = await PushThrough("""{ "rules": [ { "route": "commit", "action": "after", "status": 503, "times": 1 } ] }""", Bytes.Deterministic(300_000, 4));
        Assert.Equal(1, commits);
        Assert.Contains(logs, l => l.Contains("checking whether it landed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Http503OnTheCommitBeforeApplyingItIsSentAgain()
    {
        var (commits, _) = await PushThrough("""{ "rules": [ { "route": "commit", "status": 503, "times": 2 } ] }""", Bytes.Deterministic(300_000, 5));
        Assert.Equal(1, commits);
    }

    [Fact]
    public async Task AStalledResponseTimesOutAndIsRetried()
    {
        await using var hub = await LocalHub.StartAsync("""{ "rules": [ { "route": "revision", "action": "delay", "delayMs": 5000, "times": 1 } ] }""");
        using (var setup = hub.Client())
        {
            await setup.CreateRepoAsync(Repo, false);
        }

        var logs = new List<string>();
        using var client = new HubClient(new HubClientOptions { Endpoint = hub.Url, Token = LocalHub.Token, RequestTimeout = TimeSpan.FromMilliseconds(500), BaseDelay = TimeSpan.FromMilliseconds(10), Log = logs.Add });
        var watch = Stopwatch.StartNew();
        Assert.NotNull(await client.GetRepoAsync(Repo));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(4), "the stalled attempt was abandoned, not waited out");
        Assert.Contains(logs, l => l.StartsWith("no answer in time: retrying (attempt 2 of 6)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GivingUpGivesAClearError()
    {
        await using var hub = await LocalHub.StartAsync("""{ "rules": [ { "route": "preupload", "status": 502 } ] }""");
        using var setup = hub.Client();
        await setup.CreateRepoAsync(Repo, false);
        using var client = new HubClient(new HubClientOptions { Endpoint = hub.Url, Token = LocalHub.Token, MaxAttempts = 3, BaseDelay = TimeSpan.FromMilliseconds(5) });
        var error = await Assert.ThrowsAsync<HubApiException>(() => client.CommitAsync(new CommitRequest { Repo = Repo, Message = "x", Operations = [AddFileOperation.FromBytes([1, 2, 3], "x.bin")] }));
        Assert.Contains("HTTP 502", error.Message);
        Assert.DoesNotContain(LocalHub.Token, error.ToString());
    }

    private static async Task<(int NewCommits, List<string> Logs)> PushThrough(string faults, byte[] data)
    {
        await using var hub = await LocalHub.StartAsync(faults, multipartThreshold: 1024 * 1024, chunkSize: 512 * 1024);
        using (var setup = new HubClient(new HubClientOptions { Endpoint = hub.Url, Token = LocalHub.Token, BaseDelay = TimeSpan.FromMilliseconds(5) }))
        {
            await setup.CreateRepoAsync(Repo, false);
        }

        var logs = new List<string>();
        using var client = new HubClient(new HubClientOptions
        {
            Endpoint = hub.Url,
            Token = LocalHub.Token,
            BaseDelay = TimeSpan.FromMilliseconds(20),
            Log = m =>
            {
                lock (logs)
                {
                    logs.Add(m);
                }
            },
        });
        var before = (await client.ListCommitsAsync(Repo)).Count;
        var readme = "---\nlicense: mit\n---\n"u8.ToArray();
        var result = await client.CommitAsync(new CommitRequest
        {
            Repo = Repo,
            Message = "push through faults",
            Operations = [AddFileOperation.FromBytes(data, "data/blob.bin"), AddFileOperation.FromBytes(readme, "README.md")],
        });
        var after = await client.ListCommitsAsync(Repo);
        Assert.Equal(result.CommitOid, after[0].Oid);
        var snapshot = (await client.GetRepoAsync(Repo))!;
        Assert.Equal([".gitattributes", "README.md", "data/blob.bin"], snapshot.Files.Order(StringComparer.Ordinal));
        Assert.Equal(Bytes.Sha256(data), Bytes.Sha256(await Bytes.DownloadAsync(client, Repo, "data/blob.bin")));
        Assert.Equal(Bytes.Sha256(readme), Bytes.Sha256(await Bytes.DownloadAsync(client, Repo, "README.md")));
        return (after.Count - before, logs);
    }
}
