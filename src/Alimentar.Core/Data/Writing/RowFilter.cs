using Apache.Arrow;

namespace Alimentar.Data.Writing;

/// <summary>
/// Keeps a subset of a batch's rows, in order, without touching values one by one: the kept rows form runs, each
/// run is a zero-copy slice, and the slices are concatenated buffer by buffer (C# Arrow has no filter kernel).
/// </summary>
public static class RowFilter
{
    /// <summary>The batch with only the rows <paramref name="keep"/> accepts (0-based within the batch); the same batch when all are kept.</summary>
    public static RecordBatch Apply(RecordBatch batch, Func<int, bool> keep)
    {
        var runs = new List<(int Start, int Length)>();
        var start = -1;
        for (var r = 0; r < batch.Length; r++)
        {
            if (keep(r))
            {
                if (start < 0)
                {
                    start = r;
                }
            }
            else if (start >= 0)
            {
                runs.Add((start, r - start));
                start = -1;
            }
        }

        if (start >= 0)
        {
            runs.Add((start, batch.Length - start));
        }

        if (runs.Count == 1 && runs[0].Length == batch.Length)
        {
            return batch;
        }

        var kept = runs.Sum(r => r.Length);
        var columns = new IArrowArray[batch.ColumnCount];
        for (var c = 0; c < batch.ColumnCount; c++)
        {
            var array = batch.Column(c);
            columns[c] = runs.Count switch
            {
                0 => ArrowArrayFactory.Slice(array, 0, 0),
                1 => ArrowArrayFactory.Slice(array, runs[0].Start, runs[0].Length),
                _ => ArrowArrayConcatenator.Concatenate(runs.Select(run => ArrowArrayFactory.Slice(array, run.Start, run.Length)).ToList()),
            };
        }

        return new RecordBatch(batch.Schema, columns, kept);
    }
}
