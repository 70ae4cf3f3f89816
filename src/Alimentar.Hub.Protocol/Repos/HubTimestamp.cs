using System.Globalization;

namespace Alimentar.Hub.Repos;

/// <summary>
/// Timestamps as the Hub writes them, <c>2024-01-15T10:30:00.000Z</c>: UTC, milliseconds, a literal Z. The official
/// Python client parses exactly this shape (a .NET round-trip string with seven fractional digits and an offset
/// made <c>repo_exists</c>, <c>dataset_info</c> and <c>list_repo_commits</c> raise).
/// </summary>
public static class HubTimestamp
{
    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
