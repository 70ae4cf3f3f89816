using Apache.Arrow;

namespace Alimentar.Data.Writing;

/// <summary>In-memory Arrow sizes: what <c>datasets</c> calls a table's <c>nbytes</c> (the buffers behind the values).</summary>
public static class ArrowSizes
{
    /// <summary>Bytes of the buffers behind <paramref name="batch"/> (for a slice, of the whole buffers it views).</summary>
    public static long Bytes(RecordBatch batch, double dictionaryWeight = 1)
    {
        long bytes = 0;
        for (var c = 0; c < batch.ColumnCount; c++)
        {
            bytes += Bytes(batch.Column(c).Data, dictionaryWeight);
        }

        return bytes;
    }

    public static long Bytes(ArrayData data, double dictionaryWeight = 1)
    {
        long bytes = 0;
        foreach (var buffer in data.Buffers ?? [])
        {
            bytes += buffer.Length;
        }

        foreach (var child in data.Children ?? [])
        {
            bytes += Bytes(child, dictionaryWeight);
        }

        return bytes + (data.Dictionary is { } dictionary ? (long)(Bytes(dictionary, dictionaryWeight) * dictionaryWeight) : 0);
    }
}
