using System.Net;
using Alimentar.Server.Endpoints;
using Alimentar.Server.Faults;
using Alimentar.Server.Security;
using Alimentar.Server.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Alimentar.Server;

/// <summary>
/// A self-hosted server speaking the part of the Hugging Face Hub HTTP API that dataset publishing and
/// downloading use (hub-protocol.md §12), on Kestrel with minimal APIs.
/// </summary>
public sealed class HubServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private HubServer(WebApplication app, HubServerOptions options)
    {
        _app = app;
        Options = options;
    }

    public HubServerOptions Options { get; }

    /// <summary>The address it listens on, e.g. http://127.0.0.1:8080 (the real port when 0 was asked for).</summary>
    public string Url { get; private set; } = string.Empty;

    public static async Task<HubServer> StartAsync(HubServerOptions options, CancellationToken cancel = default)
    {
        var store = new HubStore(options.Root) { GarbageGracePeriod = options.GarbageGracePeriod };
        var tokens = new TokenStore();
        foreach (var token in options.Tokens)
        {
            tokens.Add(token, new HubUser("admin", TokenRole.Admin));
        }

        if (options.TokensFile is not null)
        {
            tokens.LoadFile(options.TokensFile);
        }

        if (LocalToken.Find(store.Root) is { } local)
        {
            tokens.Add(local, new HubUser("local", TokenRole.Admin));
        }

        var organizations = options.OrganizationsFile is null ? Organizations.None : Organizations.Load(options.OrganizationsFile, tokens.UserNames);
        var faults = options.FaultsFile is null ? FaultPlan.None : FaultPlan.Load(options.FaultsFile);
        var signer = new UrlSigner(UrlSigner.LoadOrCreateKey(store.Root), options.SignedUrlLifetime);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = options.MaxJsonBodyBytes;
            kestrel.AddServerHeader = false;
            if (options.Host is "localhost")
            {
                kestrel.ListenLocalhost(options.Port);
            }
            else
            {
                kestrel.Listen(IPAddress.Parse(options.Host), options.Port);
            }
        });
        var app = builder.Build();
        var context = new HubContext(options, store, tokens, signer, new AccessPolicy(organizations));
        app.Use(new FaultMiddleware(faults).InvokeAsync);
        app.Use(async (http, next) =>
        {
            try
            {
                await next(http);

                // No route, a method the route does not take, or an error without a body: still the Hub's error JSON,
                // so that every client can say why (found by fuzzing whole requests).
                if (!http.Response.HasStarted && http.Response.StatusCode >= 400)
                {
                    var status = http.Response.StatusCode;
                    var what = status switch
                    {
                        404 => $"no such endpoint: {http.Request.Method} {http.Request.Path}",
                        405 => $"method {http.Request.Method} is not allowed on {http.Request.Path}",
                        _ => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status),
                    };
                    await HubContext.Error(http, status, what, null);
                }
            }
            catch (HubException ex)
            {
                await HubContext.Error(http, ex.Status, ex.Message, ex.ErrorCode);
            }
            catch (BadHttpRequestException ex) when (!http.Response.HasStarted)
            {
                await HubContext.Error(http, ex.StatusCode, ex.Message, null);
            }
            catch (Exception ex) when (RequestErrors.IsMalformedRequest(ex) && !http.Response.HasStarted)
            {
                await HubContext.Error(http, 400, $"malformed request: {ex.Message}", null);
            }
            catch (Exception ex) when (!http.Response.HasStarted && ex is not OperationCanceledException)
            {
                // A bug, not the client's fault: a 500 in the Hub's error shape with an id to find the trace by.
                var errorId = Guid.NewGuid().ToString("N")[..12];
                await Console.Error.WriteLineAsync($"error {errorId}: {http.Request.Method} {http.Request.Path}: {ex}");
                await HubContext.Error(http, 500, $"internal error (id {errorId})", null);
            }
        });
        RepoEndpoints.Map(app, context);
        UploadEndpoints.Map(app, context);
        CommitEndpoints.Map(app, context);
        DownloadEndpoints.Map(app, context);
        RefEndpoints.Map(app, context);
        CommitPageEndpoints.Map(app, context);
        await app.StartAsync(cancel);
        var server = new HubServer(app, options);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Url = address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal);
        return server;
    }

    public Task WaitForShutdownAsync(CancellationToken cancel = default) => _app.WaitForShutdownAsync(cancel);

    public async Task StopAsync() => await _app.StopAsync();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
