using System.Text;
using Alimentar.Data;

namespace Alimentar.Semantics;

/// <summary>How the default null tokens that can also be real values were read in one column.</summary>
/// <param name="AsMissing">True when they count as missing: the column's other values are numbers, dates or booleans.</param>
/// <param name="Hits">Each such token seen in the sample, with its count (empty when none).</param>
public sealed record AmbiguousTokenReading(bool AsMissing, string DominantClass, IReadOnlyList<(string Token, int Count)> Hits, int SampledRows);

/// <summary>
/// The part of the missing-cell definition (quality-model.md) for tokens that are real values often enough to
/// matter: <c>NA</c> is Namibia and North America, <c>None</c> a damage level, <c>-</c> a placeholder or a value,
/// <c>nil</c> a word. With the default tokens they count as missing where a column's other values are numbers,
/// dates or booleans (there they can only mean "no value"), and as values elsewhere, where a person cannot tell
/// without knowing the data: the report says so, and a profile's explicit <c>null_tokens</c> decides.
/// </summary>
public static class AmbiguousNullTokens
{
    public static readonly IReadOnlyList<string> Tokens = ["na", "none", "nil", "-"];

    /// <summary>Rows of the first part read to decide.</summary>
    public const int SampleRows = 4096;

    private static readonly NullTokenSet Set = new(Tokens);

    /// <summary>Reads the sample of one text column; <paramref name="tokens"/> are the profile's null tokens.</summary>
    public static AmbiguousTokenReading Read(ColumnBatch? sample, NullTokenSet tokens)
    {
        var counts = new long[Enum.GetValues<ValueClass>().Length];
        var hits = new Dictionary<string, int>(StringComparer.Ordinal);
        var rows = OpeningValues.ForEach(sample, trimmed =>
        {
            if (Set.Matches(trimmed))
            {
                var spelled = Encoding.UTF8.GetString(trimmed);
                hits[spelled] = hits.GetValueOrDefault(spelled) + 1;
            }
            else if (!tokens.Matches(trimmed))
            {
                counts[(int)ValueClasses.Classify(trimmed, out _)]++;
            }
        });

        var dominant = ValueClasses.Dominant(counts).Name;
        var asMissing = counts.Sum() == 0 || dominant is "integer" or "decimal" or "boolean" or "datetime";
        return new AmbiguousTokenReading(asMissing, dominant, hits.OrderByDescending(h => h.Value).ThenBy(h => h.Key, StringComparer.Ordinal).Select(h => (h.Key, h.Value)).ToList(), rows);
    }

    /// <summary><paramref name="tokens"/> without the ambiguous ones.</summary>
    public static IReadOnlyList<string> Without(IReadOnlyList<string> tokens) =>
        tokens.Where(t => !Tokens.Contains(t.Trim().ToLowerInvariant(), StringComparer.Ordinal)).ToList();
}
