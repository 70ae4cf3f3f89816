using System.Diagnostics;
using Alimentar.Hub.Client;
using Alimentar.Hub.Repos;
using Alimentar.Tests.Support;

namespace Alimentar.Tests.Hub;

/// <summary>Killing the server (SIGKILL) during a stream of commits leaves every branch at a valid revision.</summary>
public sealed class CrashSafetyTests
{
    private static readonly RepoId Repo = new(RepoType.Dataset, "crash", "test");

    [Fact]
    public async Task KilledServerRestartsWithEveryBranchAtAValidRevision()
    {
        var root = TestPaths.NewTempDir();
        var uploaded = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var acknowledged = new Dictionary<string, string>(StringComparer.Ordinal);
        var (process, url) = StartServer(root);
        try
        {
            using (var setup = Client(url))
            {
                await setup.CreateRepoAsync(Repo, false);
                await setup.CreateBranchAsync(Repo, "dev");
            }

            using var cancel = new CancellationTokenSource();
            var writers = new[] { "main", "dev" }.Select(branch => Task.Run(async () =>
            {
                using var client = Client(url);
                for (var i = 0; !cancel.IsCancellationRequested; i++)
                {
                    var small = System.Text.Encoding.UTF8.GetBytes($"{branch} {i}\n");
                    var big = Bytes.Deterministic(200_000 + (i * 37), i * 7 + branch.Length);
                    lock (uploaded)
                    {
                        Record(uploaded, $"{branch}/notes.txt", small);
                        Record(uploaded, $"{branch}/blob-{i % 3}.bin", big);
                    }

                    try
                    {
                        var result = await client.CommitAsync(new CommitRequest
                        {
                            Repo = Repo,
                            Revision = branch,
                            Message = $"{branch} {i}",
                            Operations = [AddFileOperation.FromBytes(small, $"{branch}/notes.txt"), AddFileOperation.FromBytes(big, $"{branch}/blob-{i % 3}.bin")],
                        }, cancel.Token);
                        lock (acknowledged)
                        {
                            acknowledged[branch] = result.CommitOid;
                        }
                    }
                    catch (Exception) when (cancel.IsCancellationRequested || !IsAlive(process))
                    {
                        return;
                    }
                }
            })).ToArray();

            // Kill once both writers have had a commit acknowledged, then at a random point of their streams. A fixed
            // delay was not enough when the whole suite loads the machine (the first 200 kB LFS commit could take
            // longer than it), and the test then failed on its precondition rather than on the server.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (DateTime.UtcNow < deadline && writers.All(w => !w.IsCompleted))
            {
                lock (acknowledged)
                {
                    if (acknowledged.Count == 2)
                    {
                        break;
                    }
                }

                await Task.Delay(20);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200 + Random.Shared.Next(1000)));
            process.Kill(); // SIGKILL: no shutdown hooks run
            await process.WaitForExitAsync();
            cancel.Cancel();
            await Task.WhenAll(writers.Select(w => w.ContinueWith(_ => { })));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }

        Assert.True(acknowledged.Count == 2, "both writers made commits before the kill");
        var (restarted, url2) = StartServer(root);
        try
        {
            using var client = Client(url2);
            foreach (var branch in new[] { "main", "dev" })
            {
                var snapshot = await client.GetRepoAsync(Repo, branch);
                Assert.NotNull(snapshot);
                var history = await client.ListCommitsAsync(Repo, branch, 1000);
                // The head is the last acknowledged commit or one the server applied before dying.
                Assert.Contains(history, c => c.Oid == acknowledged[branch]);
                foreach (var path in snapshot!.Files.Where(f => f != ".gitattributes"))
                {
                    var bytes = await Bytes.DownloadAsync(client, Repo, path, branch);
                    Assert.Contains(Bytes.Sha256(bytes), uploaded[path]);
                }
            }
        }
        finally
        {
            restarted.Kill();
        }
    }

    private static void Record(Dictionary<string, HashSet<string>> uploaded, string path, byte[] content)
    {
        if (!uploaded.TryGetValue(path, out var set))
        {
            uploaded[path] = set = [];
        }

        set.Add(Bytes.Sha256(content));
    }

    private static bool IsAlive(Process process)
    {
        try
        {
            return !process.HasExited;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static HubClient Client(string url) => new(new HubClientOptions { Endpoint = url, Token = LocalHub.Token, MaxAttempts = 2, BaseDelay = TimeSpan.FromMilliseconds(10) });

    private static (Process Process, string Url) StartServer(string root)
    {
        var start = CliRunner.StartInfo(["hub", "serve", "--root", root, "--port", "0", "--token", LocalHub.Token, "--multipart-threshold", "150000", "--chunk-size", "65536"]);

        var process = Process.Start(start)!;
        var line = process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult()
            ?? throw new InvalidOperationException("server printed nothing: " + process.StandardError.ReadToEnd());
        var url = line.Split(' ').First(w => w.StartsWith("http://", StringComparison.Ordinal));
        return (process, url);
    }
}
