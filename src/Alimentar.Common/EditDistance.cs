namespace Alimentar;

/// <summary>Levenshtein distance, for "did you mean" suggestions (column names, card values).</summary>
public static class EditDistance
{
    public static int Between(string a, string b)
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

    /// <summary>The candidate closest to <paramref name="value"/> by case-insensitive distance (the first on ties), or null when there are none.</summary>
    public static string? Closest(IEnumerable<string> candidates, string value) =>
        candidates.OrderBy(c => Between(c.ToLowerInvariant(), value.ToLowerInvariant())).FirstOrDefault();
}
