using Alimentar.Data;

namespace Alimentar.Semantics;

/// <summary>
/// Whether a text column holds prose (sentences, reviews, documents), judged on its first values: near-duplicate
/// detection compares such columns only. Codes, categories, names and numbers kept as text are short or have
/// few words; comparing rows on them called 31 % of a table of bird strikes near copies.
/// </summary>
public static class ProseColumns
{
    /// <summary>Mean length of a prose value, in bytes, at least.</summary>
    public const int MinMeanBytes = 25;

    /// <summary>Mean number of words of a prose value, at least.</summary>
    public const double MinMeanWords = 4;

    public static bool LooksLikeProse(ColumnBatch sample)
    {
        long bytes = 0, words = 0, values = 0;
        OpeningValues.ForEach(sample, value =>
        {
            values++;
            bytes += value.Length;
            words += 1 + value.Count((byte)' ');
        });

        return values > 0 && (double)bytes / values >= MinMeanBytes && (double)words / values >= MinMeanWords;
    }
}
