using System.Net;
using Alimentar.Hub.Client;
using Alimentar.Hub.Publishing;
using Alimentar.Hub.Repos;
using Alimentar.Tests.Support;

namespace Alimentar.Tests.Hub;

public sealed class ClientBehaviourTests
{
    [Fact]
    public async Task FoldersOfManyFilesAreSplitIntoCommitsWithTheReadmeLast()
    {
        await using var hub = await LocalHub.StartAsync();
        var folder = TestPaths.NewTempDir();
        for (var i = 0; i < 7; i++)
        {
            File.WriteAllText(Path.Combine(folder, $"part-{i}.txt"), $"part {i}\n");
        }

        File.WriteAllText(Path.Combine(folder, "README.md"), "---\nlicense: mit\n---\n");
        using var client = new HubClient(new HubClientOptions { Endpoint = hub.Url, Token = LocalHub.Token, MaxFilesPerCommit = 3 });
        var repo = RepoId.Parse("team/many");
        var result = await new PushService(client).PushAsync(new PushOptions { Repo = repo, Source = folder, Message = "bulk" });
        Assert.Equal(3, result.Commits.Count);
        var titles = (await client.ListCommitsAsync(repo)).Select(c => c.Title).ToList();
        Assert.Equal(["bulk (part 3/3)", "bulk (part 2/3)", "bulk (part 1/3)", "initial commit"], titles);
        Assert.Contains(result.Commits[^1].Files, f => f.Path == "README.md");
        Assert.Equal(9, (await client.GetRepoAsync(repo))!.Files.Count);
    }

    [Fact]
    public void RateLimitResetIsPreferredOnA429ThenRetryAfter()
    {
        using var limited = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        limited.Headers.Add("RateLimit", "\"api\";r=0;t=7");
        limited.Headers.Add("Retry-After", "30");
        Assert.Equal(TimeSpan.FromSeconds(8), RetryPolicy.ServerDelay(limited, TimeSpan.FromMinutes(1)));

        using var busy = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        busy.Headers.Add("Retry-After", "3");
        Assert.Equal(TimeSpan.FromSeconds(3), RetryPolicy.ServerDelay(busy, TimeSpan.FromMinutes(1)));
        Assert.Equal(TimeSpan.FromSeconds(2), RetryPolicy.ServerDelay(busy, TimeSpan.FromSeconds(2)));

        using var plain = new HttpResponseMessage(HttpStatusCode.BadGateway);
        Assert.Null(RetryPolicy.ServerDelay(plain, TimeSpan.FromMinutes(1)));
        Assert.True(RetryPolicy.IsRetryable(HttpStatusCode.RequestTimeout));
        Assert.False(RetryPolicy.IsRetryable(HttpStatusCode.Conflict));
    }

    [Fact]
    public async Task DeleteOperationsAndNoOpCommits()
    {
        await using var hub = await LocalHub.StartAsync();
        using var client = hub.Client();
        var repo = RepoId.Parse("team/ops");
        await client.CreateRepoAsync(repo, false);
        await client.CommitAsync(new CommitRequest
        {
            Repo = repo,
            Message = "add",
            Operations = [AddFileOperation.FromBytes("a"u8.ToArray(), "keep.txt"), AddFileOperation.FromBytes("b"u8.ToArray(), "tmp/x.txt"), AddFileOperation.FromBytes("c"u8.ToArray(), "tmp/y/z.txt"), AddFileOperation.FromBytes([], "empty.txt")],
        });
        var again = await client.CommitAsync(new CommitRequest { Repo = repo, Message = "same", Operations = [AddFileOperation.FromBytes("a"u8.ToArray(), "keep.txt")] });
        Assert.True(again.NoOp);
        await client.CommitAsync(new CommitRequest { Repo = repo, Message = "clean", Operations = [new DeleteFolderOperation("tmp"), new DeleteFileOperation("empty.txt")] });
        Assert.Equal([".gitattributes", "keep.txt"], (await client.GetRepoAsync(repo))!.Files.Order(StringComparer.Ordinal));
        Assert.Throws<ArgumentException>(() => new DeleteFileOperation("../x"));
    }
}
