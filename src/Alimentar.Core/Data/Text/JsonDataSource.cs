using System.Text;
using System.Text.Json;

namespace Alimentar.Data.Text;

/// <summary>Shape statistics of JSON records, for the Schema dimension's nested-consistency check.</summary>
public sealed class JsonShapeStats
{
    public long Records { get; internal set; }

    public long NonObjectRecords { get; internal set; }

    /// <summary>Per field: how many records held an object there, and how often each key appeared.</summary>
    public Dictionary<string, (long Objects, Dictionary<string, long> Keys)> ObjectFields { get; } = new(StringComparer.Ordinal);

    /// <summary>Per field: the JSON types seen among array elements (nulls excluded).</summary>
    public Dictionary<string, HashSet<JsonValueKind>> ArrayElementKinds { get; } = new(StringComparer.Ordinal);

    public int MaxDepth { get; internal set; }
}

/// <summary>
/// JSON Lines (one object per line) or a JSON array of objects. A missing key or JSON null is a missing cell;
/// every value keeps its JSON type so mixed types in one field are detected rather than rejected.
/// </summary>
public sealed class JsonDataSource : IDataSource
{

    private readonly List<string> _keys;

    public JsonDataSource(string path, DataFormat format)
    {
        Path = path;
        Format = format;
        var keys = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        long number = 0;
        try
        {
            foreach (var record in Records())
            {
                number++;
                if (record.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                foreach (var property in record.EnumerateObject())
                {
                    if (seen.Add(property.Name))
                    {
                        keys.Add(property.Name);
                    }
                }
            }
        }
        catch (InvalidOperationException ex)
        {
            // Text JSON allows but UTF-16 cannot hold, such as a lone \ud800 escape.
            throw new DataReadException(path, $"record {number}: {ex.Message}", ex);
        }

        if (number == 0)
        {
            throw new DataReadException(path, "is empty: no records");
        }

        _keys = keys;
        Columns = keys.Select(k => new ColumnInfo(k, ColumnKind.String, "json", TextInferred: true)).ToList();
    }

    public string Path { get; }

    public DataFormat Format { get; }

    public IReadOnlyList<ColumnInfo> Columns { get; }

    public long? DeclaredRows => null;

    /// <summary>What the last (or current) enumeration of <see cref="Parts"/> saw; each enumeration starts afresh.</summary>
    public JsonShapeStats Shapes { get; private set; } = new();

    public IEnumerable<DataPart> Parts()
    {
        Shapes = new JsonShapeStats();
        var index = _keys.Select((k, i) => (k, i)).ToDictionary(p => p.k, p => p.i, StringComparer.Ordinal);
        var partIndex = 0;
        TextColumnBuilder[] builders = NewBuilders();
        var rows = 0;
        var partRows = CsvDataSource.PartRows(_keys.Count);
        var present = new bool[_keys.Count];
        foreach (var record in Records())
        {
            Shapes.Records++;
            Array.Clear(present);
            try
            {
                if (record.ValueKind == JsonValueKind.Object)
                {
                    foreach (var property in record.EnumerateObject())
                    {
                        if (!index.TryGetValue(property.Name, out var c) || present[c])
                        {
                            continue;
                        }

                        present[c] = true;
                        AddValue(builders[c], property.Name, property.Value);
                    }
                }
                else
                {
                    Shapes.NonObjectRecords++;
                }
            }
            catch (InvalidOperationException ex)
            {
                throw new DataReadException(Path, $"record {Shapes.Records}: {ex.Message}", ex);
            }

            for (var c = 0; c < present.Length; c++)
            {
                if (!present[c])
                {
                    builders[c].AddNull();
                }
            }

            if (++rows == partRows)
            {
                yield return new MaterializedPart(partIndex++, builders.Select(b => (ColumnBatch)b.Build()).ToArray());
                builders = NewBuilders(rows);
                rows = 0;
            }
        }

        if (rows > 0)
        {
            yield return new MaterializedPart(partIndex, builders.Select(b => (ColumnBatch)b.Build()).ToArray());
        }
    }

    public void Dispose()
    {
    }

    // After the first part the next is as long, so its builders start at that size.
    private TextColumnBuilder[] NewBuilders(int rows = 16) => _keys.Select(_ => new TextColumnBuilder(true, rows)).ToArray();

    private void AddValue(TextColumnBuilder builder, string field, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null or JsonValueKind.Undefined:
                builder.AddNull();
                break;
            case JsonValueKind.String:
                builder.Add(Encoding.UTF8.GetBytes(value.GetString() ?? string.Empty), JsonValueKind2.String);
                break;
            case JsonValueKind.Number:
                builder.Add(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(value), JsonValueKind2.Number);
                break;
            case JsonValueKind.True or JsonValueKind.False:
                builder.Add(value.ValueKind == JsonValueKind.True ? "true"u8 : "false"u8, JsonValueKind2.Boolean);
                break;
            case JsonValueKind.Object:
                {
                    if (!Shapes.ObjectFields.TryGetValue(field, out var stats))
                    {
                        stats = (0, new Dictionary<string, long>(StringComparer.Ordinal));
                    }

                    foreach (var p in value.EnumerateObject())
                    {
                        stats.Keys[p.Name] = stats.Keys.GetValueOrDefault(p.Name) + 1;
                    }

                    Shapes.ObjectFields[field] = (stats.Objects + 1, stats.Keys);
                    Shapes.MaxDepth = Math.Max(Shapes.MaxDepth, Depth(value));
                    builder.Add(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(value), JsonValueKind2.Object);
                    break;
                }

            case JsonValueKind.Array:
                {
                    if (!Shapes.ArrayElementKinds.TryGetValue(field, out var kinds))
                    {
                        kinds = [];
                        Shapes.ArrayElementKinds[field] = kinds;
                    }

                    foreach (var element in value.EnumerateArray())
                    {
                        if (element.ValueKind is not JsonValueKind.Null)
                        {
                            kinds.Add(element.ValueKind is JsonValueKind.True ? JsonValueKind.False : element.ValueKind);
                        }
                    }

                    Shapes.MaxDepth = Math.Max(Shapes.MaxDepth, Depth(value));
                    builder.Add(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(value), JsonValueKind2.Array);
                    break;
                }
        }
    }

    private static int Depth(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => 1 + value.EnumerateObject().Select(p => Depth(p.Value)).DefaultIfEmpty(0).Max(),
        JsonValueKind.Array => 1 + value.EnumerateArray().Select(Depth).DefaultIfEmpty(0).Max(),
        _ => 0,
    };

    private IEnumerable<JsonElement> Records() => Format == DataFormat.JsonLines ? LineRecords() : ArrayRecords();

    private IEnumerable<JsonElement> LineRecords()
    {
        using var stream = OpenStream();
        var reader = new Utf8LineReader(stream, CsvRecord.MaxBytes);
        while (ReadLine(reader) is { } line)
        {
            if (line.Span.Trim(" \t\r"u8).IsEmpty)
            {
                continue;
            }

            // Invalid UTF-8 reads as U+FFFD, as a text decoder reads it (the encoding check then reports it); the
            // parser would keep the bytes and fail wherever the value is later read as text.
            var json = System.Text.Unicode.Utf8.IsValid(line.Span) ? line : Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(line.Span));

            // Parsed from the line's bytes, which the document uses in place until it is disposed: it is, before
            // the next line overwrites them (the caller has moved on).
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(json);
            }
            catch (JsonException ex)
            {
                throw new DataReadException(Path, $"line {reader.Lines} is not valid JSON ({ex.Message.Split('.')[0]})", ex);
            }

            using (document)
            {
                yield return document.RootElement;
            }
        }
    }

    // Corrupt compressed data and over-long lines surface while reading: the file's error like any other.
    private ReadOnlyMemory<byte>? ReadLine(Utf8LineReader reader)
    {
        try
        {
            return reader.Next();
        }
        catch (InvalidDataException ex)
        {
            throw new DataReadException(Path, ex.Message, ex);
        }
    }

    private IEnumerable<JsonElement> ArrayRecords()
    {
        // The first byte is looked at through a stream of its own: a decompressing stream cannot seek back.
        using (var peek = OpenStream())
        {
            var first = peek.ReadByte();
            while (first is ' ' or '\n' or '\r' or '\t' or 0xEF or 0xBB or 0xBF)
            {
                first = peek.ReadByte();
            }

            if (first != '[')
            {
                throw new DataReadException(Path, "is not a JSON array of records (for one object per line, use the .jsonl extension)");
            }
        }

        using var stream = OpenStream();
        var items = JsonSerializer.DeserializeAsyncEnumerable(stream, JsonElementContext.Default.JsonElement).ToBlockingEnumerable();
        using var enumerator = items.GetEnumerator();
        var index = 0;
        while (true)
        {
            try
            {
                if (!enumerator.MoveNext())
                {
                    yield break;
                }
            }
            catch (JsonException ex)
            {
                throw new DataReadException(Path, $"is not valid JSON near record {index + 1} ({ex.Message.Split('.')[0]})", ex);
            }
            catch (InvalidDataException ex)
            {
                throw new DataReadException(Path, ex.Message, ex);
            }

            index++;
            yield return enumerator.Current;
        }
    }

    private Stream OpenStream()
    {
        try
        {
            return TextCompression.OpenText(Path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new DataReadException(Path, ex.Message, ex);
        }
    }
}

/// <summary>Source-generated metadata for reading JSON arrays element by element (no reflection, so it also runs ahead-of-time compiled).</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(JsonElement))]
internal sealed partial class JsonElementContext : System.Text.Json.Serialization.JsonSerializerContext;
