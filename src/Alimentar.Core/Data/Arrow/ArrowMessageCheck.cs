using System.Buffers.Binary;

namespace Alimentar.Data.Arrow;

/// <summary>
/// Checks an Arrow IPC message (a flatbuffer) before Apache.Arrow decodes it: the reader sizes lists by the counts of
/// a record batch's field nodes and buffers as the message states them, so a 3 KB file claiming millions of nodes
/// allocated 11 GB. Counts whose entries (16 bytes each) do not fit in the message, and offsets outside it, are
/// refused. Only the fields the reader trusts for sizing are read; the rest is left to it.
/// </summary>
internal static class ArrowMessageCheck
{
    private const int RecordBatchHeader = 3;
    private const int DictionaryBatchHeader = 2;

    /// <summary>What is wrong with the message, or null.</summary>
    public static string? Problem(ReadOnlySpan<byte> message)
    {
        try
        {
            var root = Table(message, 0);
            var kind = Scalar(message, root, 1);
            var header = Offset(message, root, 2);
            if (header is null)
            {
                return null;
            }

            var batch = kind switch
            {
                RecordBatchHeader => header,
                DictionaryBatchHeader => Offset(message, header.Value, 1),
                _ => null,
            };
            if (batch is null)
            {
                return null;
            }

            foreach (var field in new[] { 1, 2 })
            {
                if (Offset(message, batch.Value, field) is { } vector)
                {
                    var count = BinaryPrimitives.ReadUInt32LittleEndian(message[vector..]);
                    if (count > (message.Length - vector - 4) / 16)
                    {
                        return $"a record batch message claims {count:N0} {(field == 1 ? "field nodes" : "buffers")} in {message.Length:N0} bytes";
                    }
                }
            }

            return null;
        }
        catch (ArgumentOutOfRangeException)
        {
            return "a message points outside itself";
        }
    }

    /// <summary>
    /// What is wrong with a file's footer (the flatbuffer before its last 10 bytes), or null: the reader sizes arrays
    /// by the counts of the schema's fields, each field's children and metadata, and the record batch blocks.
    /// </summary>
    public static string? FooterProblem(ReadOnlySpan<byte> footer)
    {
        try
        {
            var root = Table(footer, 0);
            foreach (var (field, size, what) in new[] { (2, 24, "dictionary blocks"), (3, 24, "record batch blocks") })
            {
                if (Offset(footer, root, field) is { } blocks && Count(footer, blocks) > (footer.Length - blocks - 4) / size)
                {
                    return $"the footer claims {Count(footer, blocks):N0} {what} in {footer.Length:N0} bytes";
                }
            }

            if (Offset(footer, root, 1) is not { } schema)
            {
                return null;
            }

            return TablesProblem(footer, schema, 1, "fields", 0) ?? TablesProblem(footer, schema, 2, "metadata entries", 0);
        }
        catch (ArgumentOutOfRangeException)
        {
            return "the footer points outside itself";
        }
    }

    // A vector of tables (a schema's fields, a field's children, metadata): its count must fit its offsets, and each
    // field's own children and metadata likewise, down to a depth no real schema reaches.
    private static string? TablesProblem(ReadOnlySpan<byte> buffer, int table, int index, string what, int depth)
    {
        if (Offset(buffer, table, index) is not { } vector)
        {
            return null;
        }

        var count = Count(buffer, vector);
        if (depth > 64 || count > (buffer.Length - vector - 4) / 4)
        {
            return $"the schema claims {count:N0} {what} in {buffer.Length:N0} bytes";
        }

        if (what != "fields" && what != "children")
        {
            return null;
        }

        for (var i = 0; i < count; i++)
        {
            var field = Table(buffer, vector + 4 + (4 * (int)i));
            if ((TablesProblem(buffer, field, 5, "children", depth + 1) ?? TablesProblem(buffer, field, 6, "metadata entries", depth + 1)) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    private static uint Count(ReadOnlySpan<byte> buffer, int vector) => BinaryPrimitives.ReadUInt32LittleEndian(buffer[vector..]);

    // A table's position: where a uoffset at `at` points.
    private static int Table(ReadOnlySpan<byte> buffer, int at) => Checked(buffer, at + (int)BinaryPrimitives.ReadUInt32LittleEndian(buffer[at..]));

    // Where field `index` of the table at `table` is stored, or null when the table leaves it out.
    private static int? Field(ReadOnlySpan<byte> buffer, int table, int index)
    {
        var vtable = Checked(buffer, table - BinaryPrimitives.ReadInt32LittleEndian(buffer[table..]));
        var size = BinaryPrimitives.ReadUInt16LittleEndian(buffer[vtable..]);
        var entry = 4 + (2 * index);
        if (entry + 2 > size)
        {
            return null;
        }

        var offset = BinaryPrimitives.ReadUInt16LittleEndian(buffer[(vtable + entry)..]);
        return offset == 0 ? null : Checked(buffer, table + offset);
    }

    private static byte Scalar(ReadOnlySpan<byte> buffer, int table, int index) => Field(buffer, table, index) is { } at ? buffer[at] : (byte)0;

    private static int? Offset(ReadOnlySpan<byte> buffer, int table, int index) => Field(buffer, table, index) is { } at ? Table(buffer, at) : null;

    private static int Checked(ReadOnlySpan<byte> buffer, long position) =>
        position >= 0 && position + 4 <= buffer.Length ? (int)position : throw new ArgumentOutOfRangeException(nameof(position));
}
