using Alimentar.Data;

namespace Alimentar.Quality;

/// <summary>
/// The first part of a dataset, read at most once before the scan, for the decisions taken on a column's opening
/// rows (what the ambiguous null tokens mean there, whether it holds prose). A CSV's first part is parsed once for
/// all of them, not once per decision.
/// </summary>
internal sealed class OpeningRows(Dataset dataset)
{
    private readonly Lazy<DataPart?> _first = new(() => dataset.Parts().FirstOrDefault(), LazyThreadSafetyMode.None);

    public bool IsEmpty => _first.Value is null;

    /// <summary>
    /// <paramref name="look"/> applied to the column's first chunk (null when the dataset has no rows). The chunk's
    /// buffers may be reused once the look returns, so it must not be kept.
    /// </summary>
    public T Look<T>(int column, Func<ColumnBatch?, T> look)
    {
        if (_first.Value is not { } part)
        {
            return look(null);
        }

        using var chunks = part.ReadColumnChunks(column).GetEnumerator();
        return look(chunks.MoveNext() ? chunks.Current : null);
    }
}
