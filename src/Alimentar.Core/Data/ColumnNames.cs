namespace Alimentar.Data;

/// <summary>Suggestions for a mistyped column name.</summary>
internal static class ColumnNames
{
    /// <summary>The name closest to <paramref name="name"/> by case-insensitive edit distance (the first on ties).</summary>
    public static string? Closest(IEnumerable<string> names, string name) => names.OrderBy(n => Distance(n.ToLowerInvariant(), name.ToLowerInvariant())).FirstOrDefault();

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
