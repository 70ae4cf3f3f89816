namespace Alimentar.Data.Text;

/// <summary>
/// Lines of a UTF-8 stream as bytes, in one reused buffer, at most <c>maxBytes</c> each. A JSON Lines record read as a
/// .NET string cost twice its size in UTF-16 and again converted back for the parser (a 60 MB line took 1.4 GB), and
/// had no size limit: an 80 MB line, or a file with no line break, went through whole.
/// </summary>
internal sealed class Utf8LineReader(Stream stream, long maxBytes)
{
    private readonly byte[] _buffer = new byte[1 << 16];
    private byte[] _line = new byte[1 << 12];
    private int _start;
    private int _end;
    private bool _started;

    /// <summary>Lines read so far.</summary>
    public long Lines { get; private set; }

    /// <summary>The next line without its line break, valid until the next call; null at the end of the stream.</summary>
    public ReadOnlyMemory<byte>? Next()
    {
        var length = 0;
        while (true)
        {
            if (_start == _end && !Fill())
            {
                if (length == 0)
                {
                    return null;
                }

                Lines++;
                return Trim(length);
            }

            var span = _buffer.AsSpan(_start, _end - _start);
            var newline = span.IndexOf((byte)'\n');
            var take = newline < 0 ? span : span[..newline];
            if (length + (long)take.Length > maxBytes)
            {
                throw new InvalidDataException($"line {Lines + 1} is longer than {maxBytes:N0} bytes (a record that large is not JSON Lines data; ALIMENTAR_MAX_RECORD_BYTES raises the limit)");
            }

            if (length + take.Length > _line.Length)
            {
                Array.Resize(ref _line, (int)Math.Min(Math.Max((long)_line.Length * 2, length + take.Length), Array.MaxLength));
            }

            take.CopyTo(_line.AsSpan(length));
            length += take.Length;
            if (newline < 0)
            {
                _start = _end;
                continue;
            }

            _start += newline + 1;
            Lines++;
            return Trim(length);
        }
    }

    private ReadOnlyMemory<byte> Trim(int length) =>
        _line.AsMemory(0, length > 0 && _line[length - 1] == (byte)'\r' ? length - 1 : length);

    private bool Fill()
    {
        _start = 0;
        _end = stream.Read(_buffer, 0, _buffer.Length);
        if (!_started)
        {
            _started = true;
            if (_end >= 3 && _buffer[0] == 0xEF && _buffer[1] == 0xBB && _buffer[2] == 0xBF)
            {
                _start = 3; // a UTF-8 BOM at the start of the file is not data
            }
        }

        return _end > _start;
    }
}
