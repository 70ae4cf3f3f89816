using System.Net;
using Alimentar.Hub.Client;
using Alimentar.Hub.Repos;
using Alimentar.Tests.Support;

namespace Alimentar.Tests.Hub;

public sealed class RepoLifecycleTests
{
    private static async Task SeedAsync(HubClient client, string repo, params (string Path, byte[] Content)[] files)
    {
        var id = RepoId.Parse(repo);
        await client.CreateRepoAsync(id, isPrivate: false);
        await client.CommitAsync(new CommitRequest { Repo = id, Message = "seed", Operations = files.Select(f => (CommitOperation)AddFileOperation.FromBytes(f.Content, f.Path)).ToList() });
    }

    [Fact]
    public async Task DeletingARepoCollectsOnlyTheObjectsNoOtherRepoUses()
    {
        await using var hub = await LocalHub.StartAsync(garbageGracePeriod: TimeSpan.Zero);
        using var client = hub.Client();
        var shared = Bytes.Deterministic(50_000, 1);
        var own = Bytes.Deterministic(60_000, 2);
        await SeedAsync(client, "team/keep", ("data/shared.bin", shared));
        await SeedAsync(client, "team/drop", ("data/shared.bin", shared), ("data/own.bin", own));

        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", LocalHub.Token);
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"{hub.Url}/api/repos/delete") { Content = new StringContent("""{"name":"drop","organization":"team","type":"dataset"}""", System.Text.Encoding.UTF8, "application/json") };
        using (var response = await http.SendAsync(request))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Null(await client.GetRepoAsync(RepoId.Parse("team/drop")));
        Assert.Equal(shared, await Bytes.DownloadAsync(client, RepoId.Parse("team/keep"), "data/shared.bin"));
        var objects = Directory.EnumerateFiles(Path.Combine(hub.Root, "objects", "lfs"), "*", SearchOption.AllDirectories).Select(Path.GetFileName).ToList();
        Assert.Contains(Bytes.Sha256(shared), objects);
        Assert.DoesNotContain(Bytes.Sha256(own), objects);

        // An endpoint the server does not have answers in the Hub's error shape, not with a bare 404.
        using var unknown = await http.GetAsync($"{hub.Url}/api/datasets/team/keep/discussions");
        Assert.Equal(HttpStatusCode.NotImplemented, unknown.StatusCode);
        Assert.Equal("NotImplemented", unknown.Headers.GetValues("X-Error-Code").Single());
        Assert.Contains("does not implement", await unknown.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AServerKilledDuringADeletionRestartsWithEveryRepoWholeOrGone()
    {
        var root = TestPaths.NewTempDir();
        await using (var hub = await LocalHub.StartAsync(root: root))
        {
            using var client = hub.Client();
            await SeedAsync(client, "team/a", ("x.bin", Bytes.Deterministic(20_000, 3)));
            await SeedAsync(client, "team/b", ("y.bin", Bytes.Deterministic(20_000, 4)));
        }

        // A deletion is one rename into trash/ then a removal: killed in between, the repo is already gone from repos/
        // with its files half removed in the trash.
        var trash = Path.Combine(root, "trash", "interrupted");
        Directory.CreateDirectory(Path.GetDirectoryName(trash)!);
        Directory.Move(Path.Combine(root, "repos", "datasets", "team", "a"), trash);
        File.Delete(Directory.EnumerateFiles(trash, "*.json", SearchOption.AllDirectories).First());

        await using (var restarted = await LocalHub.StartAsync(root: root))
        {
            using var client = restarted.Client();
            Assert.Null(await client.GetRepoAsync(RepoId.Parse("team/a")));
            Assert.Equal(Bytes.Deterministic(20_000, 4), await Bytes.DownloadAsync(client, RepoId.Parse("team/b"), "y.bin"));
            Assert.False(Directory.Exists(trash));
        }
    }
}
