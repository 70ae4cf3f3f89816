using System.Globalization;

namespace Alimentar.Quality;

/// <summary>
/// One finding for a rule that fires on many columns alike (a budget file's hundred year columns, a hundred thousand
/// one-hot features): a hundred near-identical lines bury everything else in the report. The group names the
/// columns, the range of their rates and the worst of them, whose sample rows and fix it keeps.
/// </summary>
internal static class FindingGroups
{
    /// <summary>More single-column findings of one rule and severity than this become one.</summary>
    public const int Limit = 8;

    private const int NamedColumns = 10;

    /// <param name="ordered">Findings worst first; the group takes the place of its worst member.</param>
    public static List<Finding> Group(List<Finding> ordered)
    {
        var members = ordered
            .Where(f => f.Columns.Count == 1)
            .GroupBy(f => (f.Id, f.Severity))
            .Where(g => g.Count() > Limit)
            .ToDictionary(g => g.Key, g => g.ToList());
        if (members.Count == 0)
        {
            return ordered;
        }

        var result = new List<Finding>();
        foreach (var finding in ordered)
        {
            if (finding.Columns.Count != 1 || !members.TryGetValue((finding.Id, finding.Severity), out var group))
            {
                result.Add(finding);
            }
            else if (ReferenceEquals(group[0], finding))
            {
                result.Add(Merge(group));
            }
        }

        return result;
    }

    private static Finding Merge(List<Finding> group)
    {
        var worst = group[0];
        var names = group.Select(f => f.Columns[0]).ToList();
        var listed = string.Join(", ", names.Take(NamedColumns).Select(n => $"'{n}'"))
            + (names.Count > NamedColumns ? $" and {names.Count - NamedColumns:N0} more" : string.Empty);
        var low = group.Min(f => f.Rate);
        var rates = low == worst.Rate ? $"{Pct(low)} each" : $"{Pct(low)} to {Pct(worst.Rate)}";
        return worst with
        {
            Message = $"{names.Count:N0} columns alike ({listed}; {rates}); the worst: {worst.Message}",
            Columns = names,
            Count = group.Sum(f => f.Count),
        };
    }

    private static string Pct(double rate) => (rate * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";
}
