using Alimentar.Data.Writing;
using Alimentar.Hub.Client;
using Alimentar.Hub.Repos;

namespace Alimentar.Pipelines.Publishing;

/// <summary>
/// Uploads each shard's LFS object as soon as it is written, one at a time, while the next shard is being written;
/// the commit at the end then finds them stored and sends only itself. The repo (and branch) is created before the
/// first upload, which only happens once the data has passed the gate.
/// </summary>
internal sealed class ShardUploads(HubClient client, RepoId repo, string revision, Func<CancellationToken, Task> ensureRepo, CancellationToken cancel) : IAsyncDisposable
{
    private static readonly bool Trace = Environment.GetEnvironmentVariable("ALIMENTAR_TRACE") == "1";
    private readonly SemaphoreSlim _one = new(1, 1);
    private readonly List<Task<(string Path, string? Sha256)>> _uploads = [];
    private readonly CancellationTokenSource _stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
    private Task? _repoReady;

    public void Start(ShardFile shard)
    {
        TraceLine($"shard {Path.GetFileName(shard.Path)} written");
        lock (_uploads)
        {
            _repoReady ??= ensureRepo(_stop.Token);
            var ready = _repoReady;
            _uploads.Add(Task.Run(async () =>
            {
                await ready;
                await _one.WaitAsync(_stop.Token);
                try
                {
                    var name = "data/" + Path.GetFileName(shard.Path).TrimStart('.');
                    TraceLine($"upload of {name} ({shard.FileBytes:N0} bytes) starts");
                    var outcome = await client.PreuploadAsync(repo, [AddFileOperation.FromPath(shard.Path, name, shard.Sha256)], revision, _stop.Token);
                    TraceLine($"upload of {name} done ({outcome[0].Action})");
                    return (shard.Path, outcome[0].Sha256);
                }
                finally
                {
                    _one.Release();
                }
            }));
        }
    }

    private static void TraceLine(string message)
    {
        if (Trace)
        {
            Console.Error.WriteLine($"[trace] {DateTime.Now:HH:mm:ss.fff} {message}");
        }
    }

    /// <summary>Waits for every upload; the SHA-256 of each shard uploaded through LFS, by local path.</summary>
    public async Task<IReadOnlyDictionary<string, string>> CompleteAsync()
    {
        Task<(string Path, string? Sha256)>[] uploads;
        lock (_uploads)
        {
            uploads = [.. _uploads];
        }

        var done = await Task.WhenAll(uploads);
        return done.Where(d => d.Sha256 is not null).ToDictionary(d => d.Path, d => d.Sha256!, StringComparer.Ordinal);
    }

    /// <summary>Stops what is still running (after a failure elsewhere) and waits for it to end.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        Task[] uploads;
        lock (_uploads)
        {
            uploads = [.. _uploads];
        }

        try
        {
            await Task.WhenAll(uploads);
        }
        catch (Exception)
        {
            // Already reported by CompleteAsync, or moot: the publish failed elsewhere.
        }

        _stop.Dispose();
        _one.Dispose();
    }
}
