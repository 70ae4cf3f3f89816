using System.Text;

namespace Alimentar.Data.Text;

/// <summary>
/// RFC 4180 CSV (or TSV) with a header row: quoted fields, doubled quotes, CRLF or LF line ends, embedded
/// newlines inside quotes. Cells stay raw UTF-8 (invalid bytes are kept so the quality checks can see them).
/// An empty field is a missing cell.
/// </summary>
public sealed class CsvDataSource : IDataSource
{
    public const int RowsPerPart = 65536;

    /// <summary>At most this many cells per part, whatever the width.</summary>
    public const int CellsPerPart = 1 << 23;

    /// <summary>
    /// Rows per part of a text file with <paramref name="columns"/> columns: <see cref="RowsPerPart"/>, fewer for wide
    /// tables, so that a part (every cell in memory until it is scanned) stays bounded: 83 rows at 100,000 columns.
    /// </summary>
    /// <summary>At most about this many bytes of field data per part (one record may take it past).</summary>
    public const int BytesPerPart = 64 << 20;

    public static int PartRows(int columns) => Math.Clamp(CellsPerPart / Math.Max(columns, 1), 1, RowsPerPart);

    private readonly byte _separator;

    // Excel's "sep=;" first line: it names the separator and is not data.
    private readonly bool _separatorLine;

    /// <param name="delimiter">The field separator; null takes tab for TSV and detects it for CSV.</param>
    public CsvDataSource(string path, DataFormat format, char? delimiter = null)
    {
        Path = path;
        Format = format;
        // The opening lines, read once: whether the first is Excel's "sep=" line, and (for a .csv named without one)
        // which separator they agree on.
        var sniff = delimiter is null && format != DataFormat.Tsv;
        var (lines, complete) = OpeningLines(path, sniff ? 20 : 1);
        var declared = SeparatorLine(lines);
        _separatorLine = declared is not null;
        _separator = delimiter is { } given ? checked((byte)given) : declared is { } excel ? (byte)excel : sniff ? Sniff(lines, complete) : (byte)'\t';
        using var stream = OpenStream();
        var reader = new CsvRecordReader(stream, _separator);
        var header = new CsvRecord();
        if (!ReadHeader(reader, header))
        {
            throw new DataReadException(path, "is empty: no header row");
        }

        var names = UniqueNames(Enumerable.Range(0, header.Count).Select(i => Encoding.UTF8.GetString(header[i])).ToList());
        HeaderFields = names.Count;

        // Records longer than the header would lose their extra fields: one pass counts the widest record first, and
        // if any is wider, the extra fields are kept in a column of their own (as CSV text) rather than dropped.
        var widest = 0;
        for (var count = Count(reader); count >= 0; count = Count(reader))
        {
            widest = Math.Max(widest, count);
        }

        if (widest > HeaderFields)
        {
            var extra = ExtraColumn;
            var k = 1;
            while (names.Contains(extra, StringComparer.Ordinal))
            {
                extra = $"{ExtraColumn}.{k++}";
            }

            names.Add(extra);
            ExtraFieldsColumn = extra;
        }

        Columns = names.Select(n => new ColumnInfo(n, ColumnKind.String, "text", TextInferred: true)).ToList();
    }

    /// <summary>The name of the column that holds fields past the header's, when some record has them.</summary>
    public const string ExtraColumn = "_extra_fields";

    /// <summary>Fields in the header row.</summary>
    public int HeaderFields { get; }

    /// <summary>The column holding the fields of records wider than the header (joined as CSV), or null when none is.</summary>
    public string? ExtraFieldsColumn { get; }

    public string Path { get; }

    public DataFormat Format { get; }

    public IReadOnlyList<ColumnInfo> Columns { get; }

    public long? DeclaredRows => null;

    /// <summary>Header names that repeat an earlier one, with the 0-based position and the name they are read as.</summary>
    public IReadOnlyList<(string Original, int Position, string ReadAs)> RenamedHeaders { get; private set; } = [];

    /// <summary>Rows whose field count differed from the header's.</summary>
    public long RaggedRows { get; private set; }

    /// <summary>The first five such records: the record (1-based, the header being record 1), its 0-based row in the file and its field count.</summary>
    public IReadOnlyList<(long Record, long Row, int Fields)> RaggedSamples => _raggedSamples;

    private readonly List<(long Record, long Row, int Fields)> _raggedSamples = [];

    public IEnumerable<DataPart> Parts()
    {
        // Counted per enumeration: a first look at the opening rows must not count them twice.
        RaggedRows = 0;
        _raggedSamples.Clear();
        var rows = 0L;
        using var stream = OpenStream();
        var reader = new CsvRecordReader(stream, _separator);
        var fields = new CsvRecord();
        ReadHeader(reader, fields);
        var partIndex = 0;
        var partRows = PartRows(Columns.Count);
        var previousRows = Math.Min(partRows, 16);
        while (true)
        {
            var part = new RowMajorTextPart.Builder(Columns.Count, previousRows, ExtraFieldsColumn is null ? -1 : HeaderFields, _separator);
            while (part.Rows < partRows && part.Bytes < BytesPerPart && Read(reader, fields))
            {
                if (fields.Count != HeaderFields)
                {
                    if (fields.Count == 1 && fields[0].IsEmpty)
                    {
                        continue; // blank line
                    }

                    RaggedRows++;
                    if (_raggedSamples.Count < 5)
                    {
                        _raggedSamples.Add((reader.Records, rows, fields.Count));
                    }
                }

                part.Add(fields);
                rows++;
            }

            if (part.Rows == 0)
            {
                yield break;
            }

            previousRows = part.Rows;
            yield return part.Build(partIndex++);
        }
    }

    public void Dispose()
    {
    }

    // A repeated name would merge two columns into one (columns are matched by name), losing one of them: later
    // copies get a suffix, as pandas reads them ("a", "a.1", "a.2"), skipping suffixes the header already uses.
    private List<string> UniqueNames(List<string> names)
    {
        var used = new HashSet<string>(names, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);

        // The next suffix to try per name: from 1 each time, a header of 9,000 copies of one name took 40 million tries.
        var next = new Dictionary<string, int>(StringComparer.Ordinal);
        var renamed = new List<(string, int, string)>();
        var result = new List<string>(names.Count);
        for (var i = 0; i < names.Count; i++)
        {
            var name = names[i];
            if (seen.Add(name))
            {
                result.Add(name);
                continue;
            }

            var k = next.GetValueOrDefault(name, 1);
            while (used.Contains($"{name}.{k}"))
            {
                k++;
            }

            next[name] = k + 1;
            var unique = $"{name}.{k}";
            used.Add(unique);
            seen.Add(unique);
            renamed.Add((name, i, unique));
            result.Add(unique);
        }

        RenamedHeaders = renamed;
        return result;
    }

    /// <summary>The separator of the lines a file starts with.</summary>
    public char Separator => (char)_separator;

    private int Count(CsvRecordReader reader)
    {
        try
        {
            return reader.CountFields();
        }
        catch (InvalidDataException ex)
        {
            throw new DataReadException(Path, ex.Message, ex);
        }
    }

    private bool ReadHeader(CsvRecordReader reader, CsvRecord header) =>
        (!_separatorLine || Read(reader, header)) && Read(reader, header);

    // The separator a first line "sep=X" declares (Excel writes and honours it), or null.
    private static char? SeparatorLine(List<string> lines) =>
        lines is [{ Length: 5 } first, ..] && first.StartsWith("sep=", StringComparison.OrdinalIgnoreCase) && first[4] is > ' ' and < (char)127 and not '"'
            ? first[4]
            : null;

    // Up to `count` lines from the start (fewer when one is over 1 MB); `Complete` is false when reading failed, which
    // reading the file for real then reports.
    private static (List<string> Lines, bool Complete) OpeningLines(string path, int count)
    {
        var lines = new List<string>();
        try
        {
            using var reader = new StreamReader(TextCompression.OpenText(path), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            while (lines.Count < count && reader.ReadLine() is { } line)
            {
                if (line.Length > 1 << 20)
                {
                    break;
                }

                lines.Add(line);
            }

            return (lines, true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return (lines, false);
        }
    }

    private bool Read(CsvRecordReader reader, CsvRecord record)
    {
        try
        {
            return reader.ReadRecord(record);
        }
        catch (InvalidDataException ex)
        {
            throw new DataReadException(Path, ex.Message, ex);
        }
    }

    // A ".csv" exported with semicolons (Excel in much of Europe), pipes or tabs: a header without commas whose
    // first lines all hold the same number (at least one) of another separator, outside quotes, uses that one.
    private static byte Sniff(List<string> lines, bool complete)
    {
        if (!complete)
        {
            return (byte)',';
        }

        if (lines.Count == 0 || Unquoted(lines[0], ',') > 0)
        {
            return (byte)',';
        }

        foreach (var candidate in new[] { ';', '\t', '|' })
        {
            var count = Unquoted(lines[0], candidate);
            if (count > 0 && lines.Skip(1).Where(l => l.Length > 0).All(l => Unquoted(l, candidate) == count))
            {
                return (byte)candidate;
            }
        }

        return (byte)',';
    }

    private static int Unquoted(string line, char separator)
    {
        var count = 0;
        var quoted = false;
        foreach (var c in line)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == separator && !quoted)
            {
                count++;
            }
        }

        return count;
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

/// <summary>The fields of one CSV record, packed into one reusable buffer (no allocation per cell).</summary>
internal sealed class CsvRecord
{
    private byte[] _data = new byte[4096];
    private int[] _starts = new int[64];
    private int[] _lengths = new int[64];
    private int _used;

    public int Count { get; private set; }

    public ReadOnlySpan<byte> this[int field] => _data.AsSpan(_starts[field], _lengths[field]);

    public void Clear()
    {
        Count = 0;
        _used = 0;
    }

    public void StartField()
    {
        if (Count == _starts.Length)
        {
            Array.Resize(ref _starts, Count * 2);
            Array.Resize(ref _lengths, Count * 2);
        }

        _starts[Count] = _used;
        _lengths[Count] = 0;
        Count++;
    }

    /// <summary>
    /// The most bytes one record may hold (64 MiB; <c>ALIMENTAR_MAX_RECORD_BYTES</c> raises it): a larger one is an
    /// unterminated quote or not a text file, and would otherwise take memory without bound.
    /// </summary>
    public static long MaxBytes { get; } = long.TryParse(Environment.GetEnvironmentVariable("ALIMENTAR_MAX_RECORD_BYTES"), out var limit) && limit > 0 ? limit : 64L << 20;

    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (_used + (long)bytes.Length > MaxBytes)
        {
            throw new InvalidDataException($"a record is larger than {MaxBytes:N0} bytes (an unterminated quote, or not a CSV file; ALIMENTAR_MAX_RECORD_BYTES raises the limit)");
        }

        if (_used + bytes.Length > _data.Length)
        {
            Array.Resize(ref _data, Math.Max(_data.Length * 2, _used + bytes.Length));
        }

        bytes.CopyTo(_data.AsSpan(_used));
        _used += bytes.Length;
        _lengths[Count - 1] += bytes.Length;
    }
}

/// <summary>
/// A CSV record reader over a refillable buffer: unquoted runs are found with vectorised searches, quoted fields
/// handle doubled quotes and embedded separators and newlines, and CR, LF or CRLF end a record.
/// </summary>
internal sealed class CsvRecordReader(Stream stream, byte separator)
{
    private readonly byte[] _buffer = new byte[1 << 16];
    private readonly System.Buffers.SearchValues<byte> _stops = System.Buffers.SearchValues.Create([separator, (byte)'\r', (byte)'\n']);
    private readonly System.Buffers.SearchValues<byte> _lineEndsAndQuote = System.Buffers.SearchValues.Create([(byte)'\r', (byte)'\n', (byte)'"']);
    private int _length;
    private int _position;
    private bool _started;
    private bool _eof;

    /// <summary>Records read so far (the header included).</summary>
    public long Records { get; private set; }

    public bool ReadRecord(CsvRecord record) => Read(record) >= 0;

    /// <summary>
    /// The next record's field count without keeping its fields (-1 at the end of the file), by the rules
    /// <see cref="ReadRecord"/> reads them with: separators are counted a run at a time with vectorised searches, since
    /// this pass runs over every CSV before it is read (a field at a time cost a fifth of the read).
    /// </summary>
    public int CountFields()
    {
        if (!Ensure())
        {
            return -1;
        }

        Records++;
        var fields = 1;
        var atFieldStart = true;
        while (Ensure())
        {
            if (atFieldStart && _buffer[_position] == (byte)'"')
            {
                _position++;
                ReadQuoted(null);
                atFieldStart = false;
                continue;
            }

            var span = _buffer.AsSpan(_position, _length - _position);
            var stop = span.IndexOfAny(_lineEndsAndQuote);
            var run = stop < 0 ? span : span[..stop];
            fields += run.Count(separator);
            atFieldStart = run.IsEmpty ? atFieldStart : run[^1] == separator;
            if (stop < 0)
            {
                _position = _length;
                continue;
            }

            _position += stop + 1;
            var c = span[stop];
            if (c == (byte)'"')
            {
                // At a field's start it opens a quoted field; anywhere else it is an ordinary byte.
                if (atFieldStart)
                {
                    ReadQuoted(null);
                }

                atFieldStart = false;
                continue;
            }

            if (c == (byte)'\r' && Ensure() && _buffer[_position] == (byte)'\n')
            {
                _position++;
            }

            return fields;
        }

        return fields;
    }

    // Reads one record into `record`, or only past it when null; returns its field count, or -1 at the end of the file.
    private int Read(CsvRecord? record)
    {
        record?.Clear();
        if (!Ensure())
        {
            return -1;
        }

        Records++;
        var fields = 0;
        while (true)
        {
            record?.StartField();
            fields++;
            if (Ensure() && _buffer[_position] == (byte)'"')
            {
                _position++;
                ReadQuoted(record);
            }

            // Unquoted content (or what follows a closing quote, kept as is).
            while (Ensure())
            {
                var span = _buffer.AsSpan(_position, _length - _position);
                var stop = span.IndexOfAny(_stops);
                if (stop < 0)
                {
                    record?.Append(span);
                    _position = _length;
                    continue;
                }

                record?.Append(span[..stop]);
                _position += stop;
                break;
            }

            if (!Ensure())
            {
                return fields; // end of file ends the record
            }

            var delimiter = _buffer[_position++];
            if (delimiter == separator)
            {
                continue;
            }

            if (delimiter == (byte)'\r' && Ensure() && _buffer[_position] == (byte)'\n')
            {
                _position++;
            }

            return fields;
        }
    }

    private void ReadQuoted(CsvRecord? record)
    {
        while (Ensure())
        {
            var span = _buffer.AsSpan(_position, _length - _position);
            var quote = span.IndexOf((byte)'"');
            if (quote < 0)
            {
                record?.Append(span);
                _position = _length;
                continue;
            }

            record?.Append(span[..quote]);
            _position += quote + 1;
            if (Ensure() && _buffer[_position] == (byte)'"')
            {
                record?.Append("\""u8);
                _position++;
                continue;
            }

            return;
        }

        // The file ended inside quotes: everything after the opening quote would silently become one cell.
        throw new InvalidDataException($"record {Records} opens a quoted field that is never closed (an unterminated quote)");
    }

    private bool Ensure()
    {
        if (_position < _length)
        {
            return true;
        }

        if (_eof)
        {
            return false;
        }

        _length = stream.Read(_buffer, 0, _buffer.Length);
        _position = 0;
        if (!_started)
        {
            _started = true;
            if (_length >= 3 && _buffer[0] == 0xEF && _buffer[1] == 0xBB && _buffer[2] == 0xBF)
            {
                _position = 3; // a UTF-8 BOM at the start of the file is not data
            }
        }

        if (_length == 0)
        {
            _eof = true;
            return false;
        }

        return _position < _length;
    }
}
