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

    private readonly byte _separator;

    public CsvDataSource(string path, DataFormat format)
    {
        Path = path;
        Format = format;
        _separator = format == DataFormat.Tsv ? (byte)'\t' : (byte)',';
        using var stream = OpenStream();
        var reader = new CsvRecordReader(stream, _separator);
        var header = new CsvRecord();
        if (!reader.ReadRecord(header))
        {
            throw new DataReadException(path, "is empty: no header row");
        }

        Columns = Enumerable.Range(0, header.Count)
            .Select(i => new ColumnInfo(Encoding.UTF8.GetString(header[i]), ColumnKind.String, "text", TextInferred: true))
            .ToList();
    }

    public string Path { get; }

    public DataFormat Format { get; }

    public IReadOnlyList<ColumnInfo> Columns { get; }

    public long? DeclaredRows => null;

    /// <summary>Rows whose field count differed from the header's.</summary>
    public long RaggedRows { get; private set; }

    public IEnumerable<DataPart> Parts()
    {
        using var stream = OpenStream();
        var reader = new CsvRecordReader(stream, _separator);
        var fields = new CsvRecord();
        reader.ReadRecord(fields);
        var partIndex = 0;
        while (true)
        {
            var builders = Columns.Select(_ => new TextColumnBuilder(false)).ToArray();
            var rows = 0;
            while (rows < RowsPerPart && reader.ReadRecord(fields))
            {
                if (fields.Count != builders.Length)
                {
                    if (fields.Count == 1 && fields[0].IsEmpty)
                    {
                        continue; // blank line
                    }

                    RaggedRows++;
                }

                for (var c = 0; c < builders.Length; c++)
                {
                    if (c < fields.Count && fields[c].Length > 0)
                    {
                        builders[c].Add(fields[c]);
                    }
                    else
                    {
                        builders[c].AddNull();
                    }
                }

                rows++;
            }

            if (rows == 0)
            {
                yield break;
            }

            yield return new MaterializedPart(partIndex++, builders.Select(b => (ColumnBatch)b.Build()).ToArray());
        }
    }

    public void Dispose()
    {
    }

    private FileStream OpenStream()
    {
        try
        {
            return new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
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

    public void Append(ReadOnlySpan<byte> bytes)
    {
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
    private int _length;
    private int _position;
    private bool _started;
    private bool _eof;

    public bool ReadRecord(CsvRecord record)
    {
        record.Clear();
        if (!Ensure())
        {
            return false;
        }

        while (true)
        {
            record.StartField();
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
                    record.Append(span);
                    _position = _length;
                    continue;
                }

                record.Append(span[..stop]);
                _position += stop;
                break;
            }

            if (!Ensure())
            {
                return true; // end of file ends the record
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

            return true;
        }
    }

    private void ReadQuoted(CsvRecord record)
    {
        while (Ensure())
        {
            var span = _buffer.AsSpan(_position, _length - _position);
            var quote = span.IndexOf((byte)'"');
            if (quote < 0)
            {
                record.Append(span);
                _position = _length;
                continue;
            }

            record.Append(span[..quote]);
            _position += quote + 1;
            if (Ensure() && _buffer[_position] == (byte)'"')
            {
                record.Append("\""u8);
                _position++;
                continue;
            }

            return;
        }
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
