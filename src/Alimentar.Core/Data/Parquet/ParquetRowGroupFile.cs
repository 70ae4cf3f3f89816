using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace Alimentar.Data.Parquet;

/// <summary>
/// A Parquet file's footer, read to copy its row groups into other files byte for byte
/// (<see cref="ParquetRowGroupCopier"/>). Only files whose row groups are self-contained can be copied: not
/// encrypted, no column chunks in other files, bloom filters with their length recorded.
/// </summary>
internal sealed class ParquetRowGroupFile
{
    private ParquetRowGroupFile(string path, ThriftCompact.StructValue footer, byte[] schema)
    {
        Path = path;
        Footer = footer;
        Schema = schema;
        RowGroups = footer.Get(4) is ThriftCompact.Items groups ? groups.Values.Cast<ThriftCompact.StructValue>().ToList() : [];
    }

    public string Path { get; }

    public ThriftCompact.StructValue Footer { get; }

    /// <summary>The serialized schema elements: two files whose schemas are byte-identical can share one footer.</summary>
    public byte[] Schema { get; }

    public IReadOnlyList<ThriftCompact.StructValue> RowGroups { get; }

    public long Rows(int group) => RowGroups[group].Long(3) ?? 0;

    /// <summary>The row group's uncompressed size as its footer records it (the in-memory size's estimate).</summary>
    public long UncompressedBytes(int group) => RowGroups[group].Long(2) ?? 0;

    /// <summary>The footer of <paramref name="path"/>, or null with the reason its row groups cannot be copied as they are.</summary>
    public static ParquetRowGroupFile? TryOpen(string path, out string? reason)
    {
        try
        {
            using var handle = File.OpenHandle(path);
            var length = RandomAccess.GetLength(handle);
            Span<byte> tail = stackalloc byte[8];
            if (length < 12 || RandomAccess.Read(handle, tail, length - 8) != 8 || !tail[4..].SequenceEqual("PAR1"u8))
            {
                reason = "not a plain (unencrypted) Parquet file";
                return null;
            }

            var footerLength = BinaryPrimitives.ReadInt32LittleEndian(tail);
            if (footerLength <= 0 || footerLength > length - 12)
            {
                reason = "footer length out of range";
                return null;
            }

            var bytes = new byte[footerLength];
            RandomAccess.Read(handle, bytes, length - 8 - footerLength);
            var position = 0;
            var footer = ThriftCompact.ReadStruct(bytes, ref position);
            reason = Unsupported(footer);
            if (reason is not null)
            {
                return null;
            }

            var schema = new ThriftCompact.StructValue();
            schema.Set(2, ThriftCompact.List, footer.Get(2)!);
            return new ParquetRowGroupFile(path, footer, ThriftCompact.Write(schema));
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or IndexOutOfRangeException or ArgumentOutOfRangeException or OverflowException or InvalidCastException)
        {
            reason = $"unreadable footer ({ex.Message})";
            return null;
        }
    }

    /// <summary>Where a column chunk's pages start (the dictionary page when there is one) and how many bytes they take.</summary>
    public static (long Start, long Length) ChunkRange(ThriftCompact.StructValue metadata)
    {
        var data = metadata.Long(9) ?? 0;
        var start = data;
        if (metadata.Long(11) is { } dictionary && dictionary > 0 && dictionary < start)
        {
            start = dictionary;
        }

        if (metadata.Long(10) is { } index && index > 0 && index < start)
        {
            start = index;
        }

        return (start, metadata.Long(7) ?? 0);
    }

    public SafeFileHandle Open() => File.OpenHandle(Path);

    private static string? Unsupported(ThriftCompact.StructValue footer)
    {
        if (footer.Get(8) is not null)
        {
            return "encrypted";
        }

        if (footer.Get(2) is not ThriftCompact.Items || footer.Get(4) is not ThriftCompact.Items groups)
        {
            return "no schema or row groups";
        }

        foreach (var group in groups.Values.Cast<ThriftCompact.StructValue>())
        {
            if (group.Get(1) is not ThriftCompact.Items columns)
            {
                return "a row group without columns";
            }

            foreach (var chunk in columns.Values.Cast<ThriftCompact.StructValue>())
            {
                if (chunk.Get(1) is not null)
                {
                    return "column chunks in another file";
                }

                if (chunk.Get(8) is not null || chunk.Get(9) is not null)
                {
                    return "encrypted columns";
                }

                if (chunk.Get(3) is not ThriftCompact.StructValue metadata || metadata.Long(9) is null || metadata.Long(7) is null)
                {
                    return "a column chunk without its metadata";
                }

                if (metadata.Long(14) is not null && metadata.Long(15) is null)
                {
                    return "a bloom filter of unrecorded length";
                }

                if ((chunk.Long(4) is not null && chunk.Long(5) is null) || (chunk.Long(6) is not null && chunk.Long(7) is null))
                {
                    return "a page index of unrecorded length";
                }
            }
        }

        return null;
    }
}
