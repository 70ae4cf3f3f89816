namespace Alimentar.Data.Parquet;

/// <summary>
/// Thrift's compact protocol as a tree, read and written back field for field, so that a Parquet footer can be
/// edited (row groups dropped, offsets moved) without a generated schema: fields not touched keep their exact
/// values, including ones a newer writer added. Depth is limited: these bytes come from untrusted files.
/// </summary>
internal static class ThriftCompact
{
    public const byte Bool = 1;
    public const byte Byte = 3;
    public const byte I16 = 4;
    public const byte I32 = 5;
    public const byte I64 = 6;
    public const byte Double = 7;
    public const byte Binary = 8;
    public const byte List = 9;
    public const byte Set = 10;
    public const byte Map = 11;
    public const byte Struct = 12;

    private const int MaxDepth = 64;

    /// <summary>A value: an integer (also bool and byte), a double, bytes, a list or set, a map, or a struct.</summary>
    public abstract record Value;

    public sealed record Int(byte Type, long V) : Value;

    public sealed record Real(double V) : Value;

    public sealed record Bytes(byte[] V) : Value;

    public sealed record Items(byte Type, byte ElementType, List<Value> Values) : Value;

    public sealed record Pairs(byte KeyType, byte ValueType, List<(Value Key, Value Value)> Values) : Value;

    public sealed record StructValue : Value
    {
        public List<(short Id, byte Type, Value Value)> Fields { get; } = [];

        public Value? Get(short id) => Fields.FirstOrDefault(f => f.Id == id).Value;

        public long? Long(short id) => Get(id) is Int i ? i.V : null;

        public void Set(short id, byte type, Value value)
        {
            var at = Fields.FindIndex(f => f.Id == id);
            if (at >= 0)
            {
                Fields[at] = (id, type, value);
            }
            else
            {
                Fields.Add((id, type, value));
                Fields.Sort((a, b) => a.Id.CompareTo(b.Id));
            }
        }

        public void SetLong(short id, long value) => Set(id, I64, new Int(I64, value));

        public void SetInt(short id, int value) => Set(id, I32, new Int(I32, value));

        public void Remove(short id) => Fields.RemoveAll(f => f.Id == id);
    }

    public static StructValue ReadStruct(ReadOnlySpan<byte> data, ref int position) => ReadStruct(data, ref position, 0);

    public static byte[] Write(StructValue value)
    {
        var output = new List<byte>(4096);
        WriteStruct(output, value);
        return [.. output];
    }

    private static StructValue ReadStruct(ReadOnlySpan<byte> data, ref int position, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new InvalidDataException($"thrift structures nested deeper than {MaxDepth} levels");
        }

        var result = new StructValue();
        short last = 0;
        while (true)
        {
            var header = data[position++];
            if (header == 0)
            {
                return result;
            }

            var type = (byte)(header & 0x0F);
            var delta = header >> 4;
            var id = delta != 0 ? (short)(last + delta) : (short)ZigZag(ReadVarint(data, ref position));
            last = id;
            if (type is 1 or 2)
            {
                // Booleans carry their value in the type nibble (1 true, 2 false).
                result.Fields.Add((id, Bool, new Int(Bool, type == 1 ? 1 : 0)));
                continue;
            }

            result.Fields.Add((id, type, ReadValue(data, ref position, type, depth + 1)));
        }
    }

    private static Value ReadValue(ReadOnlySpan<byte> data, ref int position, byte type, int depth)
    {
        switch (type)
        {
            case Bool:
                return new Int(Bool, data[position++] == 1 ? 1 : 0);
            case Byte:
                return new Int(Byte, (sbyte)data[position++]);
            case I16 or I32 or I64:
                return new Int(type, ZigZag(ReadVarint(data, ref position)));
            case Double:
                var d = BitConverter.ToDouble(data.Slice(position, 8));
                position += 8;
                return new Real(d);
            case Binary:
                var length = checked((int)ReadVarint(data, ref position));
                var bytes = data.Slice(position, length).ToArray();
                position += length;
                return new Bytes(bytes);
            case List or Set:
                {
                    var header = data[position++];
                    var count = header >> 4;
                    if (count == 15)
                    {
                        count = checked((int)ReadVarint(data, ref position));
                    }

                    var elementType = (byte)(header & 0x0F);
                    if (elementType == 2)
                    {
                        elementType = Bool;
                    }

                    var values = new List<Value>(Math.Min(count, 1 << 16));
                    for (var i = 0; i < count; i++)
                    {
                        values.Add(ReadValue(data, ref position, elementType, depth + 1));
                    }

                    return new Items(type, elementType, values);
                }

            case Map:
                {
                    var count = checked((int)ReadVarint(data, ref position));
                    if (count == 0)
                    {
                        return new Pairs(0, 0, []);
                    }

                    var types = data[position++];
                    var keyType = (byte)(types >> 4);
                    var valueType = (byte)(types & 0x0F);
                    var values = new List<(Value, Value)>(Math.Min(count, 1 << 16));
                    for (var i = 0; i < count; i++)
                    {
                        var key = ReadValue(data, ref position, keyType, depth + 1);
                        values.Add((key, ReadValue(data, ref position, valueType, depth + 1)));
                    }

                    return new Pairs(keyType, valueType, values);
                }

            case Struct:
                return ReadStruct(data, ref position, depth + 1);
            default:
                throw new InvalidDataException($"unknown thrift type {type}");
        }
    }

    private static void WriteStruct(List<byte> output, StructValue value)
    {
        short last = 0;
        foreach (var (id, type, field) in value.Fields)
        {
            var wireType = type == Bool ? (byte)(((Int)field).V != 0 ? 1 : 2) : type;
            var delta = id - last;
            if (delta is > 0 and <= 15)
            {
                output.Add((byte)((delta << 4) | wireType));
            }
            else
            {
                output.Add(wireType);
                WriteVarint(output, ZigZagEncode(id));
            }

            last = id;
            if (type != Bool)
            {
                WriteValue(output, type, field);
            }
        }

        output.Add(0);
    }

    private static void WriteValue(List<byte> output, byte type, Value value)
    {
        switch (type)
        {
            case Bool:
                output.Add((byte)(((Int)value).V != 0 ? 1 : 2));
                break;
            case Byte:
                output.Add((byte)(sbyte)((Int)value).V);
                break;
            case I16 or I32 or I64:
                WriteVarint(output, ZigZagEncode(((Int)value).V));
                break;
            case Double:
                output.AddRange(BitConverter.GetBytes(((Real)value).V));
                break;
            case Binary:
                var bytes = ((Bytes)value).V;
                WriteVarint(output, (ulong)bytes.Length);
                output.AddRange(bytes);
                break;
            case List or Set:
                var items = (Items)value;
                var elementType = items.ElementType;
                if (items.Values.Count < 15)
                {
                    output.Add((byte)((items.Values.Count << 4) | elementType));
                }
                else
                {
                    output.Add((byte)(0xF0 | elementType));
                    WriteVarint(output, (ulong)items.Values.Count);
                }

                foreach (var item in items.Values)
                {
                    WriteValue(output, elementType, item);
                }

                break;
            case Map:
                var pairs = (Pairs)value;
                WriteVarint(output, (ulong)pairs.Values.Count);
                if (pairs.Values.Count > 0)
                {
                    output.Add((byte)((pairs.KeyType << 4) | pairs.ValueType));
                    foreach (var (k, v) in pairs.Values)
                    {
                        WriteValue(output, pairs.KeyType, k);
                        WriteValue(output, pairs.ValueType, v);
                    }
                }

                break;
            case Struct:
                WriteStruct(output, (StructValue)value);
                break;
            default:
                throw new InvalidDataException($"unknown thrift type {type}");
        }
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int position)
    {
        ulong result = 0;
        var shift = 0;
        while (true)
        {
            var b = data[position++];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }

            shift += 7;
            if (shift > 63)
            {
                throw new InvalidDataException("thrift varint longer than 64 bits");
            }
        }
    }

    private static void WriteVarint(List<byte> output, ulong value)
    {
        while (value >= 0x80)
        {
            output.Add((byte)(value | 0x80));
            value >>= 7;
        }

        output.Add((byte)value);
    }

    private static long ZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);

    private static ulong ZigZagEncode(long value) => (ulong)((value << 1) ^ (value >> 63));
}
