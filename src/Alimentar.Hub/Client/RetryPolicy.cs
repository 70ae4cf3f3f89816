using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Polly;
using Polly.Retry;

namespace Alimentar.Hub.Client;

/// <summary>
/// Retries what is safe to retry: 408, 429, 500, 502, 503, 504 and dropped connections, with exponential
/// backoff and jitter, honouring <c>RateLimit: …;t=N</c> on 429 and then <c>Retry-After</c>; bounded in
/// attempts and in total time.
/// </summary>
public sealed partial class RetryPolicy
{
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    public RetryPolicy(HubClientOptions options, Action<string>? log = null, Action<string>? notice = null)
    {
        var startKey = new ResiliencePropertyKey<long>("alimentar.start");
        _pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = Math.Max(0, options.MaxAttempts - 1),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
                ShouldHandle = args =>
                {
                    if (args.Context.Properties.TryGetValue(startKey, out var start) && Stopwatch.GetElapsedTime(start) > options.MaxRetryDuration)
                    {
                        return ValueTask.FromResult(false);
                    }

                    return ValueTask.FromResult(args.Outcome switch
                    {
                        { Exception: HttpRequestException or IOException } => true,
                        { Exception: TaskCanceledException } when !args.Context.CancellationToken.IsCancellationRequested => true,
                        { Result: { } response } => IsRetryable(response.StatusCode),
                        _ => false,
                    });
                },
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { } response ? ServerDelay(response, options.MaxDelay) : null),
                OnRetry = args =>
                {
                    var what = args.Outcome.Result is { } r ? $"HTTP {(int)r.StatusCode}" : Describe(args.Outcome.Exception);
                    var line = $"{what}: retrying (attempt {args.AttemptNumber + 2} of {options.MaxAttempts}) in {args.RetryDelay.TotalSeconds:0.#} s";
                    log?.Invoke(line);
                    notice?.Invoke(line);
                    args.Outcome.Result?.Dispose();
                    return default;
                },
            })
            .Build();
        StartKey = startKey;
    }

    private ResiliencePropertyKey<long> StartKey { get; }

    // "connection refused", not "HttpRequestException": the notice is for people.
    private static string Describe(Exception? ex) => ex switch
    {
        HttpRequestException { InnerException: System.Net.Sockets.SocketException socket } => socket.Message.Split('(')[0].Trim().ToLowerInvariant(),
        HttpRequestException http => http.Message.Split('(')[0].Trim().TrimEnd('.'),
        TaskCanceledException => "no answer in time",
        null => "error",
        _ => ex.GetType().Name,
    };

    public static bool IsRetryable(HttpStatusCode status) => (int)status is 408 or 429 or 500 or 502 or 503 or 504;

    public async Task<HttpResponseMessage> ExecuteAsync(Func<CancellationToken, Task<HttpResponseMessage>> send, CancellationToken cancel)
    {
        var context = ResilienceContextPool.Shared.Get(cancel);
        context.Properties.Set(StartKey, Stopwatch.GetTimestamp());
        try
        {
            return await _pipeline.ExecuteAsync(static async (ctx, state) => await state(ctx.CancellationToken), context, send);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>The server's own wait: RateLimit <c>t=</c> on 429, then an integer Retry-After.</summary>
    public static TimeSpan? ServerDelay(HttpResponseMessage response, TimeSpan cap)
    {
        if ((int)response.StatusCode == 429 && response.Headers.TryGetValues("RateLimit", out var limits))
        {
            var match = RateLimitReset().Match(string.Join(",", limits));
            if (match.Success && int.TryParse(match.Groups[1].Value, CultureInfo.InvariantCulture, out var t))
            {
                return Min(TimeSpan.FromSeconds(t + 1), cap);
            }
        }

        if (response.Headers.RetryAfter is { } retryAfter)
        {
            if (retryAfter.Delta is { } delta)
            {
                return Min(delta, cap);
            }

            if (retryAfter.Date is { } date)
            {
                var wait = date - DateTimeOffset.UtcNow;
                return Min(wait < TimeSpan.Zero ? TimeSpan.Zero : wait, cap);
            }
        }

        return null;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    [GeneratedRegex(@"t=(\d+)")]
    private static partial Regex RateLimitReset();
}

/// <summary>Settings of the Hub client.</summary>
public sealed record HubClientOptions
{
    public required string Endpoint { get; init; }

    public string? Token { get; init; }

    /// <summary>Total tries of a retryable request (Python's default: 6, i.e. 5 retries).</summary>
    public int MaxAttempts { get; init; } = 6;

    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>No new retry starts after this long.</summary>
    public TimeSpan MaxRetryDuration { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Deadline of one attempt of an API call (downloads included).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Deadline of one attempt of an upload (a basic PUT or one multipart part).</summary>
    public TimeSpan UploadTimeout { get; init; } = TimeSpan.FromHours(2);

    /// <summary>Multipart parts uploaded at once.</summary>
    public int Parallelism { get; init; } = 4;

    /// <summary>Files per commit when a folder is pushed (the Hub recommends at most 100).</summary>
    public int MaxFilesPerCommit { get; init; } = 100;

    public HttpMessageHandler? Handler { get; init; }

    public Action<string>? Log { get; init; }

    /// <summary>
    /// Told of every retry in one line ("connection refused: retrying (attempt 2 of 6) in 2 s"), also when
    /// <see cref="Log"/> is off: a run that waits should say why.
    /// </summary>
    public Action<string>? RetryNotice { get; init; }
}
