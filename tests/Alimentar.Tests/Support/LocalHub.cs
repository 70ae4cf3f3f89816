using System.Diagnostics;
using Alimentar.Hub.Client;
using Alimentar.Server;

namespace Alimentar.Tests.Support;

/// <summary>A self-hosted Hub on a free loopback port, in process, with its own storage folder.</summary>
public sealed class LocalHub : IAsyncDisposable
{
    public const string Token = "hf_test_write_token_123456";
    public const string ReadToken = "hf_test_read_token_654321";

    private LocalHub(HubServer server, string root)
    {
        Server = server;
        Root = root;
    }

    public HubServer Server { get; }

    public string Root { get; }

    public string Url => Server.Url;

    public static async Task<LocalHub> StartAsync(string? faults = null, long multipartThreshold = 1024 * 1024, long chunkSize = 256 * 1024, int treePageSize = 3, string? root = null, TimeSpan? garbageGracePeriod = null, string users = "", string? organizations = null)
    {
        root ??= TestPaths.NewTempDir();
        var tokens = Path.Combine(root, "..", Path.GetFileName(root) + ".tokens");

        // The suite's main token administers the hub, so tests may write to any namespace; users add per-user tokens.
        await File.WriteAllTextAsync(tokens, $"{Token} tester admin\n{ReadToken} reader read\n{users}");
        string? organizationsFile = null;
        if (organizations is not null)
        {
            organizationsFile = Path.Combine(root, "..", Path.GetFileName(root) + ".orgs");
            await File.WriteAllTextAsync(organizationsFile, organizations);
        }

        string? faultsFile = null;
        if (faults is not null)
        {
            faultsFile = Path.Combine(root, "..", Path.GetFileName(root) + ".faults.json");
            await File.WriteAllTextAsync(faultsFile, faults);
        }

        var server = await HubServer.StartAsync(new HubServerOptions
        {
            Root = root,
            Port = 0,
            TokensFile = tokens,
            OrganizationsFile = organizationsFile,
            MultipartThreshold = multipartThreshold,
            MultipartChunkSize = chunkSize,
            TreePageSize = treePageSize,
            FaultsFile = faultsFile,
            GarbageGracePeriod = garbageGracePeriod ?? TimeSpan.FromHours(1),
        });
        return new LocalHub(server, root);
    }

    public HubClient Client(string? token = Token, HttpMessageHandler? handler = null) => new(new HubClientOptions
    {
        Endpoint = Url,
        Token = token,
        BaseDelay = TimeSpan.FromMilliseconds(20),
        MaxDelay = TimeSpan.FromSeconds(3),
        Handler = handler,
    });

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>Records every request a client sends.</summary>
public sealed class RecordingHandler() : DelegatingHandler(new SocketsHttpHandler())
{
    public List<(string Method, string Path)> Requests { get; } = [];

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (Requests)
        {
            Requests.Add((request.Method.Method, request.RequestUri!.AbsolutePath));
        }

        return base.SendAsync(request, cancellationToken);
    }
}

public static class Bytes
{
    public static byte[] Deterministic(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));

    public static async Task<byte[]> DownloadAsync(HubClient client, Alimentar.Hub.Repos.RepoId repo, string path, string revision = "main")
    {
        using var memory = new MemoryStream();
        await client.DownloadAsync(repo, path, memory, revision);
        return memory.ToArray();
    }
}

/// <summary>Runs a node script from conformance/ with the given environment.</summary>
public static class Node
{
    public static (int ExitCode, string Output) Run(string script, IDictionary<string, string> environment, params string[] args)
    {
        var folder = Path.Combine(TestPaths.RepoRoot, "conformance");
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "@huggingface", "hub")))
        {
            throw new InvalidOperationException("conformance/node_modules is missing: run `npm ci --prefix conformance` (./test.sh does)");
        }

        var start = new ProcessStartInfo("node") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args.Prepend(script))
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(true);
            throw new TimeoutException($"node {script} did not finish");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
