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
        if (sample is not BytesColumnBatch { IsText: true } text)
        {
            return false;
        }

        long bytes = 0, words = 0, values = 0;
        var rows = Math.Min(text.Length, AmbiguousNullTokens.SampleRows);
        for (var i = 0; i < rows; i++)
        {
            if (text.IsNull(i))
            {
                continue;
            }

            var value = MissingCell.Trim(text.Value(i));
            if (value.IsEmpty)
            {
                continue;
            }

            values++;
            bytes += value.Length;
            words += 1 + value.Count((byte)' ');
        }

        return values > 0 && (double)bytes / values >= MinMeanBytes && (double)words / values >= MinMeanWords;
    }
}
