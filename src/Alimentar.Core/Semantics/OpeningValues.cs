using Alimentar.Data;

namespace Alimentar.Semantics;

/// <summary>
/// The values decisions on a text column's opening rows read (what its ambiguous null tokens mean, whether it holds
/// prose): the first <see cref="AmbiguousNullTokens.SampleRows"/> rows of its sample, present and not blank,
/// trimmed as the missing-cell definition trims them.
/// </summary>
internal static class OpeningValues
{
    public delegate void Visitor(ReadOnlySpan<byte> value);

    /// <summary>Calls <paramref name="visit"/> on each such value; returns the rows looked at (0 when the sample is not text).</summary>
    public static int ForEach(ColumnBatch? sample, Visitor visit)
    {
        if (sample is not BytesColumnBatch { IsText: true } text)
        {
            return 0;
        }

        var rows = Math.Min(text.Length, AmbiguousNullTokens.SampleRows);
        for (var i = 0; i < rows; i++)
        {
            if (text.IsNull(i))
            {
                continue;
            }

            var value = MissingCell.Trim(text.Value(i));
            if (!value.IsEmpty)
            {
                visit(value);
            }
        }

        return rows;
    }
}
