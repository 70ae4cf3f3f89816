using System.Buffers.Binary;
using System.Security.Cryptography;
using Alimentar.Data.Writing;

namespace Alimentar.Data.Parquet;

/// <summary>
/// Writes a Parquet file from row groups of other files (with byte-identical schemas) by copying their bytes:
/// pages, dictionaries, page indexes and bloom filters as they are, only the footer's offsets moved. No value is
/// decoded or encoded, so sharding a Parquet dataset costs a file copy and loses nothing. The SHA-256 of the output
/// is computed on the way, for the upload that follows.
/// </summary>
internal static class ParquetRowGroupCopier
{
    // Keys describing the file they came from, not the new one.
    private static readonly HashSet<string> DroppedMetadata = new(StringComparer.Ordinal) { "pandas", "huggingface" };

    /// <returns>The shard (with its uncompressed size as <see cref="ShardFile.NumBytes"/>) and the output's SHA-256.</returns>
    /// <param name="groups">The row groups, in order.</param>
    /// <param name="output">The file to write (through a temporary sibling).</param>
    /// <param name="schemaOf">For an empty output (no row groups), the file whose schema it gets.</param>
    internal static (ShardFile Shard, string Sha256) Write(IReadOnlyList<(ParquetRowGroupFile File, int Group)> groups, string output, ParquetRowGroupFile? schemaOf = null)
    {
        var temp = $"{output}.{Environment.ProcessId}.tmp";
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long rows = 0, bytes = 0;
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
            {
                var writer = new HashingWriter(stream, hash);
                writer.Write("PAR1"u8);
                var handles = new Dictionary<string, Microsoft.Win32.SafeHandles.SafeFileHandle>(StringComparer.Ordinal);
                try
                {
                    var newGroups = new List<ThriftCompact.Value>();
                    var moved = new List<(ParquetRowGroupFile File, ThriftCompact.StructValue Chunk, long Delta)>();
                    foreach (var (file, index) in groups)
                    {
                        if (!handles.TryGetValue(file.Path, out var handle))
                        {
                            handles[file.Path] = handle = file.Open();
                        }

                        var group = Clone(file.RowGroups[index]);
                        long? groupStart = null;
                        foreach (var chunk in ((ThriftCompact.Items)group.Get(1)!).Values.Cast<ThriftCompact.StructValue>())
                        {
                            var metadata = (ThriftCompact.StructValue)chunk.Get(3)!;
                            var (start, length) = ParquetRowGroupFile.ChunkRange(metadata);
                            var delta = writer.Position - start;
                            groupStart ??= writer.Position;
                            writer.Copy(handle, start, length);
                            Shift(metadata, 9, delta);
                            Shift(metadata, 10, delta);
                            Shift(metadata, 11, delta);
                            Shift(chunk, 2, delta);
                            moved.Add((file, chunk, delta));
                        }

                        if (group.Long(5) is not null && groupStart is { } first)
                        {
                            group.SetLong(5, first);
                        }

                        if (group.Get(7) is not null)
                        {
                            group.Set(7, ThriftCompact.I16, new ThriftCompact.Int(ThriftCompact.I16, newGroups.Count));
                        }

                        newGroups.Add(group);
                        rows += group.Long(3) ?? 0;
                        bytes += group.Long(2) ?? 0;
                    }

                    // Page indexes and bloom filters follow the row groups, as writers place them.
                    foreach (var (file, chunk, _) in moved)
                    {
                        if (chunk.Long(6) is { } columnIndex)
                        {
                            chunk.SetLong(6, writer.Position);
                            writer.Copy(handles[file.Path], columnIndex, chunk.Long(7)!.Value);
                        }
                    }

                    foreach (var (file, chunk, delta) in moved)
                    {
                        if (chunk.Long(4) is { } offsetIndex)
                        {
                            var index = ReadStruct(handles[file.Path], offsetIndex, (int)chunk.Long(5)!.Value);
                            if (index.Get(1) is ThriftCompact.Items pages)
                            {
                                foreach (var page in pages.Values.Cast<ThriftCompact.StructValue>())
                                {
                                    Shift(page, 1, delta);
                                }
                            }

                            var encoded = ThriftCompact.Write(index);
                            chunk.SetLong(4, writer.Position);
                            chunk.SetInt(5, encoded.Length);
                            writer.Write(encoded);
                        }

                        var metadata = (ThriftCompact.StructValue)chunk.Get(3)!;
                        if (metadata.Long(14) is { } bloom)
                        {
                            metadata.SetLong(14, writer.Position);
                            writer.Copy(handles[file.Path], bloom, metadata.Long(15)!.Value);
                        }
                    }

                    var footer = Clone((schemaOf ?? groups[0].File).Footer);
                    footer.SetLong(3, rows);
                    footer.Set(4, ThriftCompact.List, new ThriftCompact.Items(ThriftCompact.List, ThriftCompact.Struct, newGroups));
                    if (footer.Get(5) is ThriftCompact.Items keyValues)
                    {
                        keyValues.Values.RemoveAll(kv => kv is ThriftCompact.StructValue s && s.Get(1) is ThriftCompact.Bytes key && DroppedMetadata.Contains(System.Text.Encoding.UTF8.GetString(key.V)));
                    }

                    var footerBytes = ThriftCompact.Write(footer);
                    writer.Write(footerBytes);
                    Span<byte> tail = stackalloc byte[8];
                    BinaryPrimitives.WriteInt32LittleEndian(tail, footerBytes.Length);
                    "PAR1"u8.CopyTo(tail[4..]);
                    writer.Write(tail);
                }
                finally
                {
                    foreach (var handle in handles.Values)
                    {
                        handle.Dispose();
                    }
                }
            }

            File.Move(temp, output, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }

        var sha = Convert.ToHexStringLower(hash.GetHashAndReset());
        return (new ShardFile(output, rows, bytes, new FileInfo(output).Length, System.IO.Path.GetFileName(output), sha), sha);
    }

    private static void Shift(ThriftCompact.StructValue value, short field, long delta)
    {
        if (value.Get(field) is ThriftCompact.Int { } old && old.V > 0)
        {
            value.Set(field, old.Type, new ThriftCompact.Int(old.Type, old.V + delta));
        }
    }

    // A deep copy through the wire format: the source footer stays as read, for the next shard.
    private static ThriftCompact.StructValue Clone(ThriftCompact.StructValue value)
    {
        var bytes = ThriftCompact.Write(value);
        var position = 0;
        return ThriftCompact.ReadStruct(bytes, ref position);
    }

    private static ThriftCompact.StructValue ReadStruct(Microsoft.Win32.SafeHandles.SafeFileHandle handle, long offset, int length)
    {
        var bytes = new byte[length];
        if (RandomAccess.Read(handle, bytes, offset) != length)
        {
            throw new InvalidDataException("page index past the end of the file");
        }

        var position = 0;
        return ThriftCompact.ReadStruct(bytes, ref position);
    }

    private sealed class HashingWriter(Stream stream, IncrementalHash hash)
    {
        private readonly byte[] _buffer = new byte[1 << 20];

        public long Position { get; private set; }

        public void Write(ReadOnlySpan<byte> bytes)
        {
            stream.Write(bytes);
            hash.AppendData(bytes);
            Position += bytes.Length;
        }

        public void Copy(Microsoft.Win32.SafeHandles.SafeFileHandle source, long offset, long length)
        {
            while (length > 0)
            {
                var read = RandomAccess.Read(source, _buffer.AsSpan(0, (int)Math.Min(_buffer.Length, length)), offset);
                if (read <= 0)
                {
                    throw new InvalidDataException("column chunk past the end of the file");
                }

                Write(_buffer.AsSpan(0, read));
                offset += read;
                length -= read;
            }
        }
    }
}
