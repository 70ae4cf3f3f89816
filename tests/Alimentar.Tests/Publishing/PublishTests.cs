using System.Text.Json;
using System.Text.Json.Nodes;
using Alimentar.Hub.Cards;
using Alimentar.Hub.Client;
using Alimentar.Hub.Publishing;
using Alimentar.Hub.Repos;
using Alimentar.Pipelines.Publishing;
using Alimentar.Quality;
using Alimentar.Tests.Support;
using TestHub = Alimentar.Tests.Support.LocalHub;

namespace Alimentar.Tests.Publishing;

public sealed class PublishTests
{
    private static readonly string Sample = Path.Combine(TestPaths.Samples, "reviews.csv");
    private readonly string _dir = TestPaths.NewTempDir();

    private static Dictionary<string, string> Env(TestHub hub) => new() { ["HF_ENDPOINT"] = hub.Url, ["HF_TOKEN"] = TestHub.Token };

    private static HubClientOptions Client(TestHub hub, HttpMessageHandler? handler = null) =>
        new() { Endpoint = hub.Url, Token = TestHub.Token, BaseDelay = TimeSpan.FromMilliseconds(20), Handler = handler };

    // A clean dataset of `rows` distinct reviews (no findings that matter), as CSV.
    private string Reviews(string name, int rows, int seed = 1)
    {
        var random = new Random(seed);
        var lines = new List<string> { "id,rating,label,text" };
        for (var i = 0; i < rows; i++)
        {
            var rating = 1 + random.Next(5);
            lines.Add($"{i},{rating},{(rating >= 4 ? "positive" : rating <= 2 ? "negative" : "neutral")},review number {i} says {random.Next(1_000_000)} things about the product");
        }

        var path = Path.Combine(_dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, string.Join("\n", lines) + "\n");
        return path;
    }

    private static async Task<List<string>> RepoFilesAsync(TestHub hub, string repo)
    {
        using var client = hub.Client();
        return (await client.GetRepoAsync(RepoId.Parse(repo)))!.Files.Where(f => f != ".gitattributes").Order(StringComparer.Ordinal).ToList();
    }

    private static async Task<JsonArray> CommitsAsync(TestHub hub, string repo)
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", TestHub.Token);
        return JsonNode.Parse(await http.GetStringAsync($"{hub.Url}/api/datasets/{repo}/commits/main"))!.AsArray();
    }

    [Fact]
    public async Task BelowTheGateNothingIsPushedAndTheExitCodeIsOne()
    {
        await using var hub = await TestHub.StartAsync();
        var result = CliRunner.Run(Env(hub), "publish", Sample, "team/refused", "--clean", "never");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("ERROR: Quality score 69.3% below 85% threshold", result.Stderr);
        Assert.Contains("Fix: Run alimentar clean to address issues:", result.Stderr);
        Assert.Contains("  - alimentar clean --deduplicate", result.Stderr);
        Assert.Contains("Nothing was published.", result.Stderr);
        using var client = hub.Client();
        Assert.Null(await client.GetRepoAsync(RepoId.Parse("team/refused")));

        // --min-grade A refuses data that passes B (30 % duplicates: grade B), the same way.
        var ok = Reviews("ok.csv", 300);
        File.AppendAllLines(ok, File.ReadAllLines(ok).Skip(1).Take(130));
        Assert.True(CliRunner.Run(Env(hub), "publish", ok, "team/strict", "--clean", "never", "--dry-run").ExitCode == 0);
        var strict = CliRunner.Run(Env(hub), "publish", ok, "team/strict", "--min-grade", "A", "--clean", "never");
        Assert.Equal(1, strict.ExitCode);
        Assert.Contains("below 95% threshold", strict.Stderr);
        Assert.Null(await client.GetRepoAsync(RepoId.Parse("team/strict")));
    }

    [Fact]
    public async Task AutoCleanRecordsBothScoresAndTheOfficialClientsSeeWhatDatasetsUsersExpect()
    {
        await using var hub = await TestHub.StartAsync();
        var cli = CliRunner.Run(Env(hub), "publish", Sample, "team/reviews", "--json", "--license", "mit", "--task-category", "text-classification", "--language", "en");
        Assert.True(cli.ExitCode == 0, cli.Stderr);
        var json = JsonNode.Parse(cli.Stdout)!;
        Assert.True(json["cleaned"]!.GetValue<bool>());
        var before = json["before"]!["score"]!.GetValue<double>();
        var after = json["after"]!["score"]!.GetValue<double>();
        Assert.True(before < 70, $"before {before}");
        Assert.True(after >= 85, $"after {after}");
        Assert.Equal(after, json["score"]!.GetValue<double>());
        Assert.Equal(4800, json["cleaning"]!["rowsIn"]!.GetValue<long>());
        var rowsOut = json["cleaning"]!["rowsOut"]!.GetValue<long>();
        Assert.Equal(rowsOut, json["splits"]![0]!["numExamples"]!.GetValue<long>());

        // One commit, whose message records the scores before and after, the grade and the profile.
        var commits = await CommitsAsync(hub, "team/reviews");
        var message = commits[0]!["message"]!.GetValue<string>();
        Assert.Contains($"Quality before: {before:0.0}% (Grade D), profile default", message);
        Assert.Contains($"Quality after: {after:0.0}% (Grade", message);
        Assert.Contains("Cleaned (score 69.3% is below 70.0%)", message);
        Assert.Equal(json["commit"]!["oid"]!.GetValue<string>(), commits[0]!["id"]!.GetValue<string>());

        var expected = json["files"]!.AsArray().ToDictionary(f => f!["path"]!.GetValue<string>(), f => f!["sha256"]!.GetValue<string>());
        Assert.Equal(["README.md", "data/train-00000-of-00001.parquet"], expected.Keys.Order(StringComparer.Ordinal));

        // The JS client: exactly the shard and the card, and the same bytes.
        var (exit, output) = Node.Run("list-and-hash.mjs", Env(hub), "datasets/team/reviews");
        Assert.True(exit == 0, output);
        var js = JsonNode.Parse(output.Trim().Split('\n')[^1])!;
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), js["files"]!.AsArray().Select(f => f!.GetValue<string>()).Where(f => f != ".gitattributes"));
        foreach (var (path, sha) in expected)
        {
            Assert.Equal(sha, js["sha256"]![path]!.GetValue<string>());
        }

        // The Python client: the same files and bytes, and DatasetCard.load reads the metadata back.
        var (pyExit, pyOut, pyErr) = await PythonClient.RunAsync("published.py", hub.Url, TestHub.Token, "team/reviews");
        Assert.True(pyExit == 0, pyErr);
        var py = JsonNode.Parse(pyOut)!;
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), py["files"]!.AsArray().Select(f => f!.GetValue<string>()).Where(f => f != ".gitattributes"));
        foreach (var (path, sha) in expected)
        {
            Assert.Equal(sha, py["sha256"]![path]!.GetValue<string>());
        }

        var card = py["card"]!;
        Assert.Equal("mit", card["license"]!.GetValue<string>());
        Assert.Equal(["text-classification"], card["task_categories"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal(rowsOut, card["dataset_info"]!["splits"]![0]!["num_examples"]!.GetValue<long>());
        Assert.Equal("data/train-*", card["configs"]![0]!["data_files"]![0]!["path"]!.GetValue<string>());
        Assert.Equal(["review_id", "rating", "label", "text", "source"], card["dataset_info"]!["features"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()));
        Assert.Equal("float64", card["dataset_info"]!["features"]![1]!["dtype"]!.GetValue<string>());
        Assert.DoesNotContain(TestHub.Token, cli.Stdout + cli.Stderr + pyOut + pyErr + output);
    }

    [Fact]
    public async Task ARepublishWithFewerShardsDeletesTheStaleOnesInItsSingleCommit()
    {
        await using var hub = await TestHub.StartAsync();
        var repo = RepoId.Parse("team/shrinking");
        var first = await DatasetPublisher.PublishAsync([Reviews("big.csv", 3000)], repo, Client(hub), new PublishOptions { MaxShardSize = 100_000 });
        var firstShards = first.Files.Where(f => f.Split is not null).Select(f => f.PathInRepo).ToList();
        Assert.True(firstShards.Count >= 3, string.Join(", ", firstShards));
        Assert.All(firstShards, (s, i) => Assert.Equal($"data/train-{i:D5}-of-{firstShards.Count:D5}.parquet", s));
        Assert.Equal(3000, first.Files.Where(f => f.Split is not null).Sum(f => f.Rows));
        Assert.Equal([.. firstShards, "README.md"], (await RepoFilesAsync(hub, "team/shrinking")).OrderBy(f => f == "README.md" ? 1 : 0).ThenBy(f => f, StringComparer.Ordinal));
        var commitsBefore = (await CommitsAsync(hub, "team/shrinking")).Count;

        var second = await DatasetPublisher.PublishAsync([Reviews("small.csv", 200, seed: 2)], repo, Client(hub), new PublishOptions());
        Assert.Equal(firstShards, second.Deleted);
        Assert.Equal(["README.md", "data/train-00000-of-00001.parquet"], await RepoFilesAsync(hub, "team/shrinking"));
        Assert.Equal(commitsBefore + 1, (await CommitsAsync(hub, "team/shrinking")).Count);
        Assert.Contains("deleted 3 stale shards", second.CommitDescription.Replace($"deleted {firstShards.Count} stale shards", "deleted 3 stale shards"));

        using var client = hub.Client();
        var card = System.Text.Encoding.UTF8.GetString(await Bytes.DownloadAsync(client, repo, "README.md"));
        var info = CardYaml.ReadDatasetInfo(DatasetCard.Parse(card).Metadata())!;
        Assert.Equal([new SplitInfo("train", second.Info.Splits[0].NumBytes, 200)], info.Splits);
        Assert.Equal(second.Files.Single(f => f.Split is not null).Size, info.DownloadSize);
        Assert.Empty(await client.ValidateYamlAsync(card, RepoType.Dataset));
    }

    [Fact]
    public async Task ParquetIsShardedByCopyingWholeRowGroupsIntoEvenShards()
    {
        await using var hub = await TestHub.StartAsync();
        const int rows = 12_000;
        var ids = Enumerable.Range(0, rows).Select(i => (long?)i).ToArray();
        var labels = ids.Select(i => (string?)$"label {i % 7} and some text to give the row group some weight {i}").ToArray();
        var values = ids.Select(i => (double?)(i * 0.5)).ToArray();
        var input = TestData.Parquet(Path.Combine(_dir, "rowgroups.parquet"), ids, labels, values, rowGroupSize: 1000);
        var source = Alimentar.Data.Parquet.ParquetRowGroupFile.TryOpen(input, out _)!;
        var total = Enumerable.Range(0, source.RowGroups.Count).Sum(source.UncompressedBytes);

        // Limit at 40 % of the data: int(total / max) + 1 = 3 shards of four row groups each.
        var result = await DatasetPublisher.PublishAsync([input], RepoId.Parse("team/copied"), Client(hub), new PublishOptions { MaxShardSize = (long)(total * 0.4) });
        var shards = result.Files.Where(f => f.Split is not null).ToList();
        Assert.Equal(["data/train-00000-of-00003.parquet", "data/train-00001-of-00003.parquet", "data/train-00002-of-00003.parquet"], shards.Select(s => s.PathInRepo));
        Assert.All(shards, s => Assert.Equal(4000, s.Rows));
        Assert.All(shards, s => Assert.True(s.NumBytes <= total * 0.4));

        // The shards hold every row, in order, with the input's values.
        using var client = hub.Client();
        var next = 0L;
        foreach (var shard in shards)
        {
            var local = Path.Combine(_dir, Path.GetFileName(shard.PathInRepo));
            await File.WriteAllBytesAsync(local, await Bytes.DownloadAsync(client, RepoId.Parse("team/copied"), shard.PathInRepo));
            Assert.Equal(shard.Sha256, Bytes.Sha256(await File.ReadAllBytesAsync(local)));
            using var reader = new ParquetSharp.ParquetFileReader(local);
            for (var g = 0; g < reader.FileMetaData.NumRowGroups; g++)
            {
                using var group = reader.RowGroup(g);
                var read = group.Column(0).LogicalReader<long?>().ReadAll((int)group.MetaData.NumRows);
                var text = group.Column(1).LogicalReader<string?>().ReadAll((int)group.MetaData.NumRows);
                for (var i = 0; i < read.Length; i++)
                {
                    Assert.Equal(next, read[i]);
                    Assert.Equal(labels[next], text[i]);
                    next++;
                }
            }
        }

        Assert.Equal(rows, next);
    }

    [Fact]
    public async Task ADryRunSendsNoWriteRequestAndSaysWhatWouldBeSent()
    {
        await using var hub = await TestHub.StartAsync();
        var recorder = new RecordingHandler();
        var result = await DatasetPublisher.PublishAsync([Reviews("d.csv", 500)], RepoId.Parse("team/dry"), Client(hub, recorder), new PublishOptions { DryRun = true });
        Assert.True(result.DryRun);
        Assert.Null(result.Commit);
        Assert.True(result.RepoCreated);
        Assert.All(recorder.Requests, r => Assert.Equal("GET", r.Method));
        using var client = hub.Client();
        Assert.Null(await client.GetRepoAsync(RepoId.Parse("team/dry")));
        Assert.All(result.Files, f => Assert.Matches("^[0-9a-f]{64}$", f.Sha256!));
        Assert.Contains("dataset_info:", result.Card);

        var cli = CliRunner.Run(Env(hub), "publish", Reviews("d2.csv", 100), "team/dry", "--dry-run", "--split", "validation");
        Assert.True(cli.ExitCode == 0, cli.Stderr);
        Assert.Contains("Dry run: would commit to datasets/team/dry@main (creating the repo)", cli.Stdout);
        Assert.Contains("data/validation-00000-of-00001.parquet", cli.Stdout);
        Assert.Null(await client.GetRepoAsync(RepoId.Parse("team/dry")));
    }

    [Fact]
    public async Task AUsersReadmeKeepsItsProseAndKeysAndARepublishRefreshesOnlyTheGeneratedParts()
    {
        await using var hub = await TestHub.StartAsync();
        var readme = Path.Combine(_dir, "MY_README.md");
        await File.WriteAllTextAsync(readme, "---\nlicense: cc-by-4.0\nannotations_creators:\n- expert-generated\n# kept comment\nsource_datasets:\n- original\n---\n# Reviews\n\nCollected by hand in 2024.\n\n## Limitations\n\nEnglish only.\n");
        var repo = RepoId.Parse("team/readme");
        var first = await DatasetPublisher.PublishAsync([Reviews("reviews.csv", 400)], repo, Client(hub), new PublishOptions { Readme = readme, Split = "train" });
        foreach (var kept in new[] { "license: cc-by-4.0", "annotations_creators:\n- expert-generated", "# kept comment", "Collected by hand in 2024.", "## Limitations\n\nEnglish only." })
        {
            Assert.Contains(kept, first.Card);
        }

        Assert.Contains("<!-- alimentar:data-quality -->", first.Card);
        Assert.Contains("num_examples: 400", first.Card);

        // Next publish, no --readme: the repo's README is the base; its prose stays, the numbers change.
        var second = await DatasetPublisher.PublishAsync([Reviews("reviews.csv", 250, seed: 3)], repo, Client(hub), new PublishOptions { Split = "train" });
        Assert.Contains("Collected by hand in 2024.", second.Card);
        Assert.Contains("annotations_creators:\n- expert-generated", second.Card);
        Assert.Contains("num_examples: 250", second.Card);
        Assert.DoesNotContain("num_examples: 400", second.Card);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(second.Card, "<!-- alimentar:data-quality -->"));
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(second.Card, "^dataset_info:", System.Text.RegularExpressions.RegexOptions.Multiline));
    }

    [Fact]
    public async Task SplitsComeFromFileNamesAndAFolderIsScoredAsOneDataset()
    {
        await using var hub = await TestHub.StartAsync();
        var folder = Path.Combine(_dir, "splits");
        var train = Reviews("splits/train.csv", 400);
        File.Copy(train, Path.Combine(folder, "test.csv"));   // the test split repeats the training data: a leak
        var result = await DatasetPublisher.PublishAsync([folder], RepoId.Parse("team/splits"), Client(hub), new PublishOptions { SkipQualityGate = true, Clean = CleanMode.Never });
        Assert.Equal(400, result.Before.Duplicates.Exact);
        Assert.Equal(["train", "test"], result.Info.Splits.Select(s => s.Name));
        Assert.Equal(["README.md", "data/test-00000-of-00001.parquet", "data/train-00000-of-00001.parquet"], await RepoFilesAsync(hub, "team/splits"));
        Assert.Contains("- split: test\n    path: data/test-*", result.Card);
        Assert.Contains("GATE", result.CommitDescription.ToUpperInvariant());

        // A later publish of only the test split keeps train (files and card), as datasets.push_to_hub does.
        var again = await DatasetPublisher.PublishAsync([Reviews("t2.csv", 100, seed: 9)], RepoId.Parse("team/splits"), Client(hub), new PublishOptions { Split = "test" });
        Assert.Equal(["train", "test"], again.Info.Splits.Select(s => s.Name).Order().Reverse());
        Assert.Contains("- split: train\n    path: data/train-*", again.Card);
        Assert.Equal(["README.md", "data/test-00000-of-00001.parquet", "data/train-00000-of-00001.parquet"], await RepoFilesAsync(hub, "team/splits"));

        // A folder where some files name a split and others do not is ambiguous: refused before anything is read.
        var mixed = Path.Combine(_dir, "mixed");
        Reviews("mixed/train.csv", 10);
        Reviews("mixed/extra.csv", 10);
        var error = await Assert.ThrowsAsync<PublishRefusedException>(() => DatasetPublisher.PublishAsync([mixed], RepoId.Parse("team/mixed"), Client(hub), new PublishOptions()));
        Assert.Contains("extra.csv: no split in its name", error.Message);
    }

    [Fact]
    public async Task HfPublisherPublishesFromCSharp()
    {
        await using var hub = await TestHub.StartAsync();
        var result = new HfPublisher("team/api").WithEndpoint(hub.Url).WithToken(TestHub.Token).WithCommitMessage("First release")
            .Publish(Reviews("api/train.csv", 300), new PublishOptions { License = "apache-2.0", Languages = ["en"] });
        Assert.Equal("First release", result.CommitTitle);
        Assert.NotNull(result.Commit);
        Assert.Equal(["README.md", "data/train-00000-of-00001.parquet"], await RepoFilesAsync(hub, "team/api"));
        Assert.Contains("license: apache-2.0", result.Card);
        Assert.Equal(Grade.A.ToString(), result.Final.Grade);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void TheLocalEndpointNeedsNoAccountAndHubServeServesItLater()
    {
        var storage = Path.Combine(_dir, "local-hub");
        var env = new Dictionary<string, string> { ["ALIMENTAR_LOCAL_HUB"] = storage, ["HF_TOKEN"] = string.Empty, ["HF_HOME"] = Path.Combine(_dir, "hf-home") };
        var cli = CliRunner.Run(env, "publish", Sample, "demo/reviews", "--endpoint", "local");
        Assert.True(cli.ExitCode == 0, cli.Stderr);
        Assert.Contains("Quality after cleaning:", cli.Stdout);
        Assert.Contains($"in the local hub at {storage}", cli.Stdout);
        Assert.Contains($"alimentar hub serve --root {storage}", cli.Stdout);
        var tokenFile = Path.Combine(storage, "local-token");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(tokenFile));
        Assert.False(File.Exists(Path.Combine(_dir, "hf-home", "token")));
        var token = File.ReadAllText(tokenFile).Trim();
        Assert.DoesNotContain(token, cli.Stdout + cli.Stderr);

        // HF_ENDPOINT=local works the same; a second publish lands in the same storage.
        env["HF_ENDPOINT"] = "local";
        var second = CliRunner.Run(env, "publish", Sample, "demo/reviews2", "--json");
        Assert.True(second.ExitCode == 0, second.Stderr);
        Assert.Equal(storage, JsonNode.Parse(second.Stdout)!["localStorage"]!.GetValue<string>());

        // `hub serve --root` on that folder serves both to the official client, with the local token.
        var serve = CliRunner.StartInfo(["hub", "serve", "--root", storage, "--port", "0"]);
        using var process = System.Diagnostics.Process.Start(serve)!;
        try
        {
            var line = process.StandardOutput.ReadLine() ?? string.Empty;
            var url = System.Text.RegularExpressions.Regex.Match(line, "http://[^ ]+").Value;
            Assert.StartsWith("http://127.0.0.1:", url);
            var (exit, output) = Node.Run("list-and-hash.mjs", new Dictionary<string, string> { ["HF_ENDPOINT"] = url, ["HF_TOKEN"] = token }, "datasets/demo/reviews");
            Assert.True(exit == 0, output);
            Assert.Contains("data/train-00000-of-00001.parquet", output);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
        }
    }
}
