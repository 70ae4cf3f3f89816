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

    private static Task Reject(HttpContext context, FaultRule rule)
    {
        if (rule.RetryAfter is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return HubContext.Error(context, rule.Status, $"injected fault ({rule.Route} {rule.Action} {rule.Status})", null);
    }
}
