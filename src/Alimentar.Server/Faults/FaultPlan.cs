using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Alimentar.Server.Faults;

/// <summary>
/// One misbehaviour: which requests it hits and what it does. <c>route</c> is a route name (create, info,
/// preupload, lfs-batch, lfs-upload, lfs-part, lfs-complete, lfs-verify, commit, tree, commits, resolve,
/// validate-yaml, whoami) or <c>*</c>; <c>action</c> is <c>status</c> (answer <c>status</c> instead of handling),
/// <c>after</c> (handle, then answer <c>status</c> instead of the real response), <c>drop</c> (read part of the
/// body, then drop the connection), <c>cut</c> (send <c>dropAfterBytes</c> of the response, then drop the
/// connection) or <c>delay</c> (wait <c>delayMs</c>, then handle).
/// </summary>
// Settable rather than init-only: the source-generated reader then leaves the defaults of absent fields in place.
public sealed record FaultRule
{
    public string Route { get; set; } = "*";

    public string? Method { get; set; }

    public string Action { get; set; } = "status";

    public int Status { get; set; } = 503;

    public int? RetryAfter { get; set; }

    /// <summary>Hit only these matching requests (1-based).</summary>
    public int[]? Nth { get; set; }

    /// <summary>Hit the first N matching requests.</summary>
    public int? Times { get; set; }

    /// <summary>Hit this fraction of matching requests (seeded, reproducible).</summary>
    public double? Fraction { get; set; }

    public int DelayMs { get; set; }

    /// <summary>For <c>drop</c>: bytes of the body to read before dropping (default: half of Content-Length).</summary>
    public long? DropAfterBytes { get; set; }
}

public sealed partial class FaultPlan
{
    private readonly List<(FaultRule Rule, int[] Counter)> _rules;
    private readonly Random _random = new(1234);

    private FaultPlan(IEnumerable<FaultRule> rules) => _rules = rules.Select(r => (r, new int[1])).ToList();

    public static FaultPlan None { get; } = new([]);

    public bool IsEmpty => _rules.Count == 0;

    public static FaultPlan Load(string path)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { ReadCommentHandling = JsonCommentHandling.Skip, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow, TypeInfoResolver = ServerJsonContext.Default };
        var document = JsonSerializer.Deserialize(File.ReadAllText(path), (JsonTypeInfo<FaultDocument>)options.GetTypeInfo(typeof(FaultDocument))) ?? new FaultDocument();
        foreach (var rule in document.Rules)
        {
            if (rule.Action is not ("status" or "after" or "drop" or "delay" or "cut"))
            {
                throw new FormatException($"{path}: unknown fault action '{rule.Action}'");
            }

            // A misspelt route would be accepted and never fire: the test that relies on it would test nothing.
            if (rule.Route != "*" && !Routes.Contains(rule.Route))
            {
                var closest = EditDistance.Closest(Routes, rule.Route);
                throw new FormatException($"{path}: unknown fault route '{rule.Route}'{(closest is null ? string.Empty : $" (did you mean '{closest}'?)")}; routes: {string.Join(", ", Routes)}, or *");
            }
        }

        return new FaultPlan(document.Rules);
    }

    /// <summary>The rule that fires for this request, if any. Thread-safe; counters advance per matching request.</summary>
    public FaultRule? Match(HttpContext context)
    {
        if (_rules.Count == 0)
        {
            return null;
        }

        var route = RouteName(context.Request.Path.Value ?? "/", context.Request.Method);
        lock (_rules)
        {
            foreach (var (rule, counter) in _rules)
            {
                if ((rule.Route != "*" && rule.Route != route) || (rule.Method is not null && !string.Equals(rule.Method, context.Request.Method, StringComparison.OrdinalIgnoreCase)))
                {
                    continue;
                }

                var n = ++counter[0];
                var hit = rule.Nth is { } nth ? nth.Contains(n)
                    : rule.Times is { } times ? n <= times
                    : rule.Fraction is { } fraction ? _random.NextDouble() < fraction
                    : true;
                if (hit)
                {
                    return rule;
                }
            }
        }

        return null;
    }

    /// <summary>Every name <see cref="RouteName"/> gives (besides a bare method name for other requests).</summary>
    public static IReadOnlyList<string> Routes { get; } =
    [
        "create", "whoami", "validate-yaml", "lfs-upload", "lfs-part", "lfs-complete", "lfs-batch", "lfs-verify", "info",
        "preupload", "commit", "tree", "commits", "revision", "paths-info", "branch", "resolve", "get", "post", "put", "delete", "head",
    ];

    public static string RouteName(string path, string method)
    {
        if (path == "/api/repos/create")
        {
            return "create";
        }

        if (path == "/api/whoami-v2")
        {
            return "whoami";
        }

        if (path == "/api/validate-yaml")
        {
            return "validate-yaml";
        }

        if (path.StartsWith("/lfs/upload/", StringComparison.Ordinal))
        {
            return "lfs-upload";
        }

        if (path.StartsWith("/lfs/part/", StringComparison.Ordinal))
        {
            return "lfs-part";
        }

        if (path.StartsWith("/lfs/complete/", StringComparison.Ordinal))
        {
            return "lfs-complete";
        }

        if (path.EndsWith("/info/lfs/objects/batch", StringComparison.Ordinal))
        {
            return "lfs-batch";
        }

        if (path.EndsWith("/info/lfs/objects/verify", StringComparison.Ordinal))
        {
            return "lfs-verify";
        }

        var api = ApiOperation().Match(path);
        if (api.Success)
        {
            return api.Groups[1].Success ? api.Groups[1].Value : "info";
        }

        return path.Contains("/resolve/", StringComparison.Ordinal) || path.Contains("/raw/", StringComparison.Ordinal) ? "resolve" : method.ToLowerInvariant();
    }

    [GeneratedRegex(@"^/api/(?:models|datasets|spaces)/[^/]+/[^/]+(?:/(preupload|commit|tree|commits|revision|paths-info|branch))?(?:/|$)")]
    private static partial Regex ApiOperation();

    internal sealed record FaultDocument
    {
        public List<FaultRule> Rules { get; set; } = [];
    }
}
