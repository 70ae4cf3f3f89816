namespace Alimentar.Data;

/// <summary>Suggestions for a mistyped column name.</summary>
internal static class ColumnNames
{
    /// <summary>The name closest to <paramref name="name"/> by case-insensitive edit distance (the first on ties).</summary>
    public static string? Closest(IEnumerable<string> names, string name) => EditDistance.Closest(names, name);
}
