namespace Alimentar.Hub.Publishing;

/// <summary>A Parquet file starts and ends with "PAR1"; enough for the client to refuse an obvious mistake without a Parquet library.</summary>
internal static class ParquetMagic
{
    public static bool IsParquet(string path)
    {
        using var stream = File.OpenRead(path);
        if (stream.Length < 12)
        {
            return false;
        }

        Span<byte> head = stackalloc byte[4];
        Span<byte> tail = stackalloc byte[4];
        stream.ReadExactly(head);
        stream.Seek(-4, SeekOrigin.End);
        stream.ReadExactly(tail);
        return head.SequenceEqual("PAR1"u8) && tail.SequenceEqual("PAR1"u8);
    }
}
