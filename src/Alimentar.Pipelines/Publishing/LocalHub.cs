using Alimentar.Server;
using Alimentar.Server.Security;

namespace Alimentar.Pipelines.Publishing;

/// <summary>
/// The self-hosted hub run inside the process, for trying <c>publish</c> with no account and no server to start:
/// <c>--endpoint local</c> (or <c>HF_ENDPOINT=local</c>). It listens on a free loopback port while the command
/// runs; its storage is a per-user folder (<see cref="DefaultRoot"/>) that <c>alimentar hub serve --root</c>
/// serves later, and its token is created there on first use.
/// </summary>
public sealed class LocalHub : IAsyncDisposable
{
    public const string EndpointName = "local";

    private readonly HubServer _server;

    private LocalHub(HubServer server, string root, string token)
    {
        _server = server;
        Root = root;
        Token = token;
    }

    public string Url => _server.Url;

    public string Root { get; }

    public string Token { get; }

    public static bool IsLocal(string? endpoint) => string.Equals(endpoint?.Trim(), EndpointName, StringComparison.OrdinalIgnoreCase);

    /// <summary><c>ALIMENTAR_LOCAL_HUB</c>, else <c>$XDG_DATA_HOME/alimentar/hub</c>, else <c>~/.local/share/alimentar/hub</c>.</summary>
    public static string DefaultRoot(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (environment("ALIMENTAR_LOCAL_HUB") is { Length: > 0 } explicitRoot)
        {
            return Path.GetFullPath(explicitRoot);
        }

        var data = environment("XDG_DATA_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        return Path.GetFullPath(Path.Combine(data, "alimentar", "hub"));
    }

    public static async Task<LocalHub> StartAsync(string? root = null, CancellationToken cancel = default)
    {
        root = Path.GetFullPath(root ?? DefaultRoot());
        Directory.CreateDirectory(root);
        var token = LocalToken.LoadOrCreate(root);
        var server = await HubServer.StartAsync(new HubServerOptions { Root = root, Port = 0, Host = "127.0.0.1" }, cancel);
        return new LocalHub(server, root, token);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.StopAsync();
        await _server.DisposeAsync();
    }
}
