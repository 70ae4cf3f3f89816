namespace Alimentar.Data.Parquet;

/// <summary>
/// Checks that each column chunk's pages tile exactly the byte range its metadata declares. Arrow reads past the
/// range on purpose (to cope with a 2013 writer bug, IMPALA-694), so a truncated or overlapping chunk would
/// otherwise be decoded from neighbouring bytes; alimentar refuses it. ParquetSharp does not expose page offsets,
/// so this reads the footer's Thrift (compact protocol) itself.
/// </summary>
internal static class PageLayoutCheck
{
    /// <summary>Byte range of each column chunk, per row group: [rowGroup][column] = (start, length).</summary>
    public static (long Start, long Length)[][]? ReadChunkRanges(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.RandomAccess);
        if (file.Length < 12)
        {
            return null;
        }

        var tail = new byte[8];
        file.Seek(-8, SeekOrigin.End);
        file.ReadExactly(tail);
        var footerLength = BitConverter.ToInt32(tail, 0);
        if (footerLength <= 0 || footerLength > file.Length - 8)
        {
            return null;
        }

        var footer = new byte[footerLength];
        file.Seek(-8 - footerLength, SeekOrigin.End);
        file.ReadExactly(footer);
        var reader = new CompactReader(footer);
        var rowGroups = new List<(long, long)[]>();
        reader.ReadStruct((id, type) =>
        {
            if (id == 4 && type == CompactReader.List)
            {
                reader.ReadList(_ => rowGroups.Add(ReadRowGroup(reader)));
                return true;
            }

            return false;
        });
        return rowGroups.ToArray();
    }

    private static (long, long)[] ReadRowGroup(CompactReader reader)
    {
        var columns = new List<(long, long)>();
        reader.ReadStruct((id, type) =>
        {
            if (id == 1 && type == CompactReader.List)
            {
                reader.ReadList(_ => columns.Add(ReadColumnChunk(reader)));
                return true;
            }

            return false;
        });
        return columns.ToArray();
    }

    private static (long, long) ReadColumnChunk(CompactReader reader)
    {
        (long, long) range = (-1, -1);
        reader.ReadStruct((id, type) =>
        {
            if (id == 3 && type == CompactReader.Struct)
            {
                long dataOffset = -1, dictionaryOffset = -1, size = -1;
                reader.ReadStruct((mid, mtype) =>
                {
                    switch (mid)
                    {
                        case 7 when mtype == CompactReader.I64:
                            size = reader.ReadLong();
                            return true;
                        case 9 when mtype == CompactReader.I64:
                            dataOffset = reader.ReadLong();
                            return true;
                        case 11 when mtype == CompactReader.I64:
                            dictionaryOffset = reader.ReadLong();
                            return true;
                        default:
                            return false;
                    }
                });
                var start = dictionaryOffset > 0 && dictionaryOffset < dataOffset ? dictionaryOffset : dataOffset;
                range = (start, size);
                return true;
            }

            return false;
        });
        return range;
    }

    /// <summary>Null when the pages of [start, start+length) tile it exactly, otherwise the problem.</summary>
    public static string? CheckChunk(string path, long start, long length)
    {
        if (start < 4 || length <= 0)
        {
            return null; // no pages (an empty chunk points at offset 0) or no metadata (encrypted column)
        }

        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.RandomAccess);
        var end = start + length;
        if (end > file.Length)
        {
            return $"column chunk ends at byte {end}, past the end of the file ({file.Length} bytes)";
        }

        var small = new byte[512];
        byte[]? large = null;
        var position = start;
        var pages = 0;
        while (position < end)
        {
            // Most page headers fit in 512 bytes; ones with large statistics get a second, bigger read.
            int compressed = -1, headerLength = 0;
            string? failure = null;
            for (var attempt = 0; attempt < 2; attempt++)
            {
                var buffer = attempt == 0 ? small : (large ??= new byte[256 * 1024]);
                file.Seek(position, SeekOrigin.Begin);
                var read = file.ReadAtLeast(buffer, (int)Math.Min(buffer.Length, file.Length - position), throwOnEndOfStream: false);
                var reader = new CompactReader(buffer.AsSpan(0, read).ToArray());
                try
                {
                    compressed = -1;
                    reader.ReadStruct((id, type) =>
                    {
                        if (id == 3 && type == CompactReader.I32)
                        {
                            compressed = reader.ReadInt();
                            return true;
                        }

                        return false;
                    });
                    headerLength = reader.Position;
                    failure = null;
                    break;
                }
                catch (Exception ex) when (ex is IndexOutOfRangeException or ArgumentOutOfRangeException or InvalidDataException or OverflowException)
                {
                    failure = $"page header {pages} at byte {position} cannot be parsed";
                }
            }

            if (failure is not null)
            {
                return failure;
            }

            if (compressed < 0)
            {
                return $"page header {pages} at byte {position} has no valid compressed size";
            }

            position += headerLength + compressed;
            pages++;
        }

        return position == end ? null : $"page {pages - 1} runs {position - end} bytes past the end of its column chunk (truncated data page)";
    }

    /// <summary>Just enough of Thrift's compact protocol to walk structs and skip what is not needed.</summary>
    private sealed class CompactReader(byte[] data)
    {
        public const int I32 = 5;
        public const int I64 = 6;
        public const int List = 9;
        public const int Struct = 12;

        // Real page headers nest three or four structs deep; a header of 66,000 bytes of 0x1C (each a nested struct)
        // overflowed the stack. Untrusted bytes get a depth limit.
        private const int MaxDepth = 64;
        private int _depth;

        public int Position { get; private set; }

        /// <summary>Reads fields until STOP; <paramref name="field"/> returns true when it consumed the value.</summary>
        public void ReadStruct(Func<short, int, bool> field)
        {
            Enter();
            try
            {
                ReadFields(field);
            }
            finally
            {
                _depth--;
            }
        }

        private void Enter()
        {
            if (++_depth > MaxDepth)
            {
                _depth--;
                throw new InvalidDataException($"thrift structures nested deeper than {MaxDepth} levels");
            }
        }

        private void ReadFields(Func<short, int, bool> field)
        {
            short last = 0;
            while (true)
            {
                var header = data[Position++];
                if (header == 0)
                {
                    return;
                }

                var type = header & 0x0F;
                var delta = header >> 4;
                var id = delta != 0 ? (short)(last + delta) : (short)ZigZag(ReadVarint());
                last = id;
                if (type is 1 or 2)
                {
                    continue; // booleans carry their value in the type nibble
                }

                if (!field(id, type))
                {
                    Skip(type);
                }
            }
        }

        public void ReadList(Action<int> element)
        {
            var header = data[Position++];
            var count = header >> 4;
            if (count == 15)
            {
                count = (int)ReadVarint();
            }

            for (var i = 0; i < count; i++)
            {
                element(i);
            }
        }

        public int ReadInt() => (int)ZigZag(ReadVarint());

        public long ReadLong() => ZigZag(ReadVarint());

        private void Skip(int type)
        {
            Enter();
            try
            {
                SkipValue(type);
            }
            finally
            {
                _depth--;
            }
        }

        private void SkipValue(int type)
        {
            switch (type)
            {
                case 3:
                    Position++;
                    break;
                case 4 or 5 or 6:
                    ReadVarint();
                    break;
                case 7:
                    Position += 8;
                    break;
                case 8:
                    {
                        var length = checked((int)ReadVarint()); // read first: += would capture Position before the varint
                        Position += length;
                        break;
                    }
                case 9 or 10:
                    {
                        var header = data[Position++];
                        var count = header >> 4;
                        if (count == 15)
                        {
                            count = (int)ReadVarint();
                        }

                        var elementType = header & 0x0F;
                        for (var i = 0; i < count; i++)
                        {
                            if (elementType is 1 or 2)
                            {
                                Position++;
                            }
                            else
                            {
                                Skip(elementType);
                            }
                        }

                        break;
                    }

                case 11:
                    {
                        var count = (int)ReadVarint();
                        if (count > 0)
                        {
                            var types = data[Position++];
                            for (var i = 0; i < count; i++)
                            {
                                Skip(types >> 4);
                                Skip(types & 0x0F);
                            }
                        }

                        break;
                    }

                case 12:
                    ReadStruct((_, _) => false);
                    break;
                default:
                    throw new InvalidDataException($"unknown thrift type {type}");
            }
        }

        private ulong ReadVarint()
        {
            ulong result = 0;
            var shift = 0;
            while (true)
            {
                var b = data[Position++];
                result |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    return result;
                }

                shift += 7;
                if (shift > 63)
                {
                    throw new InvalidDataException("varint too long");
                }
            }
        }

        private static long ZigZag(ulong n) => (long)(n >> 1) ^ -(long)(n & 1);
    }
}
