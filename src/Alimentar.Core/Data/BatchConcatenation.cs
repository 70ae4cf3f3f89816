namespace Alimentar.Data;

/// <summary>
/// Joins consecutive chunks of one column into one batch. Chunks may reuse their buffers, so each is copied as
/// it arrives.
/// </summary>
internal static class BatchConcatenation
{
    public static ColumnBatch Concat(IEnumerable<ColumnBatch> chunks)
    {
        var rows = 0;
        var valid = new List<bool>();
        var anyNull = false;
        var longs = new List<long>();
        var doubles = new List<double>();
        var exact = new List<UInt128>();
        var bools = new List<bool>();
        var offsets = new List<int> { 0 };
        var data = new MemoryStream();
        ColumnBatch? first = null;
        foreach (var chunk in chunks)
        {
            first ??= chunk;
            for (var i = 0; i < chunk.Length; i++)
            {
                valid.Add(!chunk.IsNull(i));
            }

            anyNull |= chunk.Valid is not null && chunk.Valid.AsSpan(0, chunk.Length).Contains(false);
            switch (chunk)
            {
                case Int64ColumnBatch b:
                    longs.AddRange(b.Values.AsSpan(0, b.Length));
                    break;
                case DoubleColumnBatch b:
                    doubles.AddRange(b.Values.AsSpan(0, b.Length));
                    if (b.ExactHashes is not null)
                    {
                        exact.AddRange(b.ExactHashes.AsSpan(0, b.Length));
                    }

                    break;
                case BooleanColumnBatch b:
                    bools.AddRange(b.Values.AsSpan(0, b.Length));
                    break;
                case BytesColumnBatch b:
                    for (var i = 0; i < b.Length; i++)
                    {
                        data.Write(b.Value(i));
                        offsets.Add(checked((int)data.Length));
                    }

                    break;
                case NullColumnBatch:
                    break;
                default:
                    throw new InvalidOperationException($"cannot join chunks of type {chunk.GetType().Name}");
            }

            rows += chunk.Length;
        }

        var mask = anyNull ? valid.ToArray() : null;
        return first switch
        {
            null or NullColumnBatch => new NullColumnBatch(rows),
            Int64ColumnBatch i => new Int64ColumnBatch(longs.ToArray(), rows, mask, i.Temporal),
            DoubleColumnBatch d => new DoubleColumnBatch(doubles.ToArray(), rows, mask, d.ExactHashes is null ? null : exact.ToArray()),
            BooleanColumnBatch => new BooleanColumnBatch(bools.ToArray(), rows, mask),
            BytesColumnBatch b => new BytesColumnBatch(offsets.ToArray(), data.ToArray(), rows, mask, b.IsText),
            _ => throw new InvalidOperationException("unreachable"),
        };
    }
}
