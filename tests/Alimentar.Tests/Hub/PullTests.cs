using System.Text.Json.Nodes;
using Alimentar.Hub.Client;
using Alimentar.Hub.Download;
using Alimentar.Hub.Repos;
using Alimentar.Tests.Support;

namespace Alimentar.Tests.Hub;

public sealed class PullTests
{
    private readonly string _dir = TestPaths.NewTempDir();

    // A dataset repo with an LFS shard, a regular file in a folder and a README; returns the files' bytes.
    private static async Task<Dictionary<string, byte[]>> SeedAsync(LocalHub hub, string repo, int lfsBytes = 300_000)
    {
        var files = new Dictionary<string, byte[]>
        {
            ["data/train-00000-of-00001.parquet"] = Bytes.Deterministic(lfsBytes, 1),
            ["notes/about.txt"] = "plain text, stored as a regular git blob\n"u8.ToArray(),
            ["README.md"] = "---\nlicense: mit\n---\n# Seeded\n"u8.ToArray(),
        };
        using var client = hub.Client();
        var id = RepoId.Parse(repo);
        await client.CreateRepoAsync(id, isPrivate: false);
        await client.CommitAsync(new CommitRequest { Repo = id, Message = "seed", Operations = files.Select(f => (CommitOperation)AddFileOperation.FromBytes(f.Value, f.Key)).ToList() });
        return files;
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task APullLaysOutTheHuggingFaceCacheThatThePythonClientReadsOffline()
    {
        await using var hub = await LocalHub.StartAsync();
        var files = await SeedAsync(hub, "team/cached");
        var cache = new HfCache(Path.Combine(_dir, "hub-cache"));
        using var client = hub.Client();
        var result = await new SnapshotDownloader(client).PullAsync(RepoId.Parse("team/cached"), new PullOptions { Cache = cache });
        Assert.All(result.Files, f => Assert.True(f.Downloaded));
        Assert.Equal(files.Keys.Order(StringComparer.Ordinal), result.Files.Select(f => f.Path).Where(p => p != ".gitattributes"));

        var folder = Path.Combine(cache.Root, "datasets--team--cached");
        Assert.Equal(result.Commit, File.ReadAllText(Path.Combine(folder, "refs", "main")));
        foreach (var (path, bytes) in files)
        {
            var link = Path.Combine(folder, "snapshots", result.Commit, path);
            Assert.NotNull(new FileInfo(link).LinkTarget);
            Assert.False(Path.IsPathRooted(new FileInfo(link).LinkTarget!));
            Assert.Equal(bytes, File.ReadAllBytes(link));
        }

        // The LFS file's blob is named by its SHA-256, the regular one by its git blob id.
        Assert.True(File.Exists(Path.Combine(folder, "blobs", Bytes.Sha256(files["data/train-00000-of-00001.parquet"]))));
        Assert.True(File.Exists(Path.Combine(folder, "blobs", GitObjects.BlobSha1(files["notes/about.txt"]))));

        // The official client, offline, finds both in the cache: no request at all.
        foreach (var path in new[] { "data/train-00000-of-00001.parquet", "notes/about.txt" })
        {
            var (exit, stdout, stderr) = await PythonClient.RunAsync("cache.py", hub.Url, LocalHub.Token, new Dictionary<string, string> { ["HF_HUB_CACHE"] = cache.Root, ["HF_HUB_OFFLINE"] = "1" }, "read", "team/cached", path);
            Assert.True(exit == 0, stderr);
            Assert.Equal(Bytes.Sha256(files[path]), stdout.Trim());
        }

        // A second pull fetches nothing.
        var again = await new SnapshotDownloader(client).PullAsync(RepoId.Parse("team/cached"), new PullOptions { Cache = cache });
        Assert.All(again.Files, f => Assert.False(f.Downloaded));
    }

    [Fact]
    public async Task WhatThePythonClientDownloadedIsNotDownloadedAgain()
    {
        await using var hub = await LocalHub.StartAsync();
        await SeedAsync(hub, "team/python-first");
        var cache = Path.Combine(_dir, "shared-cache");
        var (exit, _, stderr) = await PythonClient.RunAsync("cache.py", hub.Url, LocalHub.Token, new Dictionary<string, string> { ["HF_HUB_CACHE"] = cache }, "snapshot", "team/python-first");
        Assert.True(exit == 0, stderr);

        var recorder = new RecordingHandler();
        using var client = hub.Client(handler: recorder);
        var result = await new SnapshotDownloader(client).PullAsync(RepoId.Parse("team/python-first"), new PullOptions { Cache = new HfCache(cache) });
        Assert.All(result.Files, f => Assert.False(f.Downloaded));
        Assert.DoesNotContain(recorder.Requests, r => r.Path.Contains("/resolve/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ADownloadCutMidFileResumesWithRangeAndIsVerified()
    {
        const string faults = """{"rules": [{"route": "resolve", "method": "GET", "action": "cut", "dropAfterBytes": 100000, "times": 2}]}""";
        await using var hub = await LocalHub.StartAsync(faults);
        var files = await SeedAsync(hub, "team/cut", lfsBytes: 1_000_000);
        using var client = hub.Client();
        var recorder = new RecordingHandler();
        using var recorded = hub.Client(handler: recorder);

        // Only the large file: the first two responses are cut after 100,000 bytes, the third completes it.
        var result = await new SnapshotDownloader(recorded).PullAsync(RepoId.Parse("team/cut"), new PullOptions { LocalDir = Path.Combine(_dir, "cut"), Include = ["data/"] });
        Assert.Equal("data/train-00000-of-00001.parquet", Assert.Single(result.Files).Path);
        Assert.Equal(files["data/train-00000-of-00001.parquet"], File.ReadAllBytes(Path.Combine(_dir, "cut", "data", "train-00000-of-00001.parquet")));
        Assert.Equal(3, recorder.Requests.Count(r => r.Method == "GET" && r.Path.Contains("/resolve/", StringComparison.Ordinal)));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_dir, "cut", ".cache"), "*.incomplete", SearchOption.AllDirectories));

        // Pulled again into the folder: the large file is not fetched again (huggingface_hub's metadata files say what is there).
        var again = await new SnapshotDownloader(client).PullAsync(RepoId.Parse("team/cut"), new PullOptions { LocalDir = Path.Combine(_dir, "cut") });
        Assert.False(again.Files.Single(f => f.Path.StartsWith("data/", StringComparison.Ordinal)).Downloaded);
        Assert.Equal(files["README.md"], File.ReadAllBytes(Path.Combine(_dir, "cut", "README.md")));
    }

    [Fact]
    public async Task ACorruptedObjectOnTheServerIsDetectedAndNotPlaced()
    {
        await using var hub = await LocalHub.StartAsync();
        var files = await SeedAsync(hub, "team/corrupt");
        var sha = Bytes.Sha256(files["data/train-00000-of-00001.parquet"]);
        var stored = Directory.EnumerateFiles(Path.Combine(hub.Root, "objects", "lfs"), sha, SearchOption.AllDirectories).Single();
        var bytes = File.ReadAllBytes(stored);
        bytes[1234] ^= 0xFF;
        File.WriteAllBytes(stored, bytes);

        var cache = new HfCache(Path.Combine(_dir, "c"));
        using var client = hub.Client();
        var error = await Assert.ThrowsAsync<HubApiException>(() => new SnapshotDownloader(client).PullAsync(RepoId.Parse("team/corrupt"), new PullOptions { Cache = cache, Include = ["data/*"] }));
        Assert.Contains("do not match its SHA-256", error.Message);
        var blobs = Path.Combine(cache.Root, "datasets--team--corrupt", "blobs");
        Assert.Empty(Directory.Exists(blobs) ? Directory.GetFiles(blobs) : []);
    }

    [Fact]
    public async Task TheCliPullsWithPatternsAndScoresHfPaths()
    {
        await using var hub = await LocalHub.StartAsync();
        using (var client = hub.Client())
        {
            var id = RepoId.Parse("team/scored");
            await client.CreateRepoAsync(id, isPrivate: false);
            await client.CommitAsync(new CommitRequest
            {
                Repo = id,
                Message = "data",
                Operations =
                [
                    AddFileOperation.FromPath(Path.Combine(TestPaths.Samples, "reviews.parquet"), "data/train-00000-of-00001.parquet"),
                    AddFileOperation.FromBytes("id,text\n1,a\n2,b\n"u8.ToArray(), "extra/other.csv"),
                ],
            });
        }

        var home = Path.Combine(_dir, "home");
        var env = new Dictionary<string, string> { ["HF_ENDPOINT"] = hub.Url, ["HF_TOKEN"] = LocalHub.Token, ["HF_HOME"] = home, ["HF_HUB_CACHE"] = string.Empty };
        var pull = CliRunner.Run(env, "hub", "pull", "team/scored", "--include", "data/train-*", "--json");
        Assert.True(pull.ExitCode == 0, pull.Stderr);
        var json = JsonNode.Parse(pull.Stdout)!;
        Assert.Equal(["data/train-00000-of-00001.parquet"], json["files"]!.AsArray().Select(f => f!["path"]!.GetValue<string>()));
        Assert.StartsWith(Path.Combine(home, "hub", "datasets--team--scored", "snapshots"), json["destination"]!.GetValue<string>());

        var whole = CliRunner.Run(env, "quality", "score", "hf://datasets/team/scored@main/data/train-*.parquet", "--json");
        Assert.True(whole.ExitCode == 0, whole.Stderr);
        Assert.Equal(2000, JsonNode.Parse(whole.Stdout)!["rows"]!.GetValue<long>());

        var missing = CliRunner.Run(env, "hub", "pull", "team/nope");
        Assert.Equal(3, missing.ExitCode);
        Assert.Contains("error: datasets/team/nope@main: repository or revision not found", missing.Stderr);
        Assert.Single(missing.Stderr.Trim().Split('\n'));
    }
}
