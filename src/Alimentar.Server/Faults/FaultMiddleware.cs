using Alimentar.Server.Endpoints;
using Microsoft.AspNetCore.Http;

namespace Alimentar.Server.Faults;

/// <summary>Applies the fault plan before (or, for <c>after</c>, instead of the response of) each request.</summary>
public sealed class FaultMiddleware(FaultPlan plan)
{
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var rule = plan.Match(context);
        if (rule is null)
        {
            await next(context);
            return;
        }

        switch (rule.Action)
        {
            case "delay":
                await Task.Delay(rule.DelayMs, context.RequestAborted);
                await next(context);
                return;
            case "drop":
                {
                    var limit = rule.DropAfterBytes ?? Math.Max(1, (context.Request.ContentLength ?? 2) / 2);
                    var buffer = new byte[8192];
                    long read = 0;
                    while (read < limit)
                    {
                        var n = await context.Request.Body.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, limit - read)), context.RequestAborted);
                        if (n == 0)
                        {
                            break;
                        }

                        read += n;
                    }

                    context.Abort();
                    return;
                }

            case "cut":
                {
                    // The response's first bytes reach the client, then the connection drops: a download cut mid-file.
                    var original = context.Response.Body;
                    var limited = new CutStream(original, rule.DropAfterBytes ?? 1);
                    context.Response.Body = limited;
                    try
                    {
                        await next(context);
                    }
                    catch (IOException) when (limited.Cut)
                    {
                    }
                    catch (OperationCanceledException) when (limited.Cut)
                    {
                    }

                    context.Abort();
                    return;
                }

            case "after":
                {
                    var original = context.Response.Body;
                    using var discard = new MemoryStream();
                    context.Response.Body = discard;
                    await next(context);
                    context.Response.Body = original;
                    context.Response.Clear();
                    await Reject(context, rule);
                    return;
                }

            default:
                await Reject(context, rule);
                return;
        }
    }

    private sealed class CutStream(Stream inner, long limit) : Stream
    {
        private long _written;

        public bool Cut { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _written; set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var room = (int)Math.Max(0, Math.Min(buffer.Length, limit - _written));
            if (room > 0)
            {
                await inner.WriteAsync(buffer[..room], cancellationToken);
                await inner.FlushAsync(cancellationToken);
                _written += room;
            }

            if (room < buffer.Length)
            {
                Cut = true;
                throw new IOException("injected fault: connection cut mid-response");
            }
        }
    }

    private static Task Reject(HttpContext context, FaultRule rule)
    {
        if (rule.RetryAfter is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return HubContext.Error(context, rule.Status, $"injected fault ({rule.Route} {rule.Action} {rule.Status})", null);
    }
}
