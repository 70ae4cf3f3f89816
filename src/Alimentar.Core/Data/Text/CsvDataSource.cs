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
        var header = new List<byte[]>();
        if (!reader.ReadRecord(header))
        {
            throw new DataReadException(path, "is empty: no header row");
        }

        Columns = header
            .Select(h => new ColumnInfo(Encoding.UTF8.GetString(h), ColumnKind.String, "text", TextInferred: true))
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
        var fields = new List<byte[]>();
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
                    if (fields.Count == 1 && fields[0].Length == 0)
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

/// <summary>A byte-level CSV record reader.</summary>
internal sealed class CsvRecordReader(Stream stream, byte separator)
{
    private readonly byte[] _buffer = new byte[1 << 16];
    private readonly MemoryStream _field = new();
    private int _length;
    private int _position;
    private bool _started;

    public bool ReadRecord(List<byte[]> fields)
    {
        fields.Clear();
        _field.SetLength(0);
        var inQuotes = false;
        var any = false;
        while (true)
        {
            var b = Next();
            if (b < 0)
            {
                if (!any && fields.Count == 0)
                {
                    return false;
                }

                fields.Add(_field.ToArray());
                return true;
            }

            any = true;
            if (inQuotes)
            {
                if (b == '"')
                {
                    if (Peek() == '"')
                    {
                        Next();
                        _field.WriteByte((byte)'"');
                    }
                    else
                    {
                        inQuotes = false;
                    }
                }
                else
                {
                    _field.WriteByte((byte)b);
                }

                continue;
            }

            if (b == '"' && _field.Length == 0)
            {
                inQuotes = true;
            }
            else if (b == separator)
            {
                fields.Add(_field.ToArray());
                _field.SetLength(0);
            }
            else if (b == '\n')
            {
                fields.Add(_field.ToArray());
                return true;
            }
            else if (b == '\r')
            {
                if (Peek() == '\n')
                {
                    Next();
                }

                fields.Add(_field.ToArray());
                return true;
            }
            else
            {
                _field.WriteByte((byte)b);
            }
        }
    }

    private int Peek()
    {
        if (_position >= _length && !Fill())
        {
            return -1;
        }

        return _buffer[_position];
    }

    private int Next()
    {
        if (_position >= _length && !Fill())
        {
            return -1;
        }

        return _buffer[_position++];
    }

    private bool Fill()
    {
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

        return _length > _position;
    }
}
