namespace Alimentar.Data.Text;

/// <summary>
/// A chunk of a CSV file kept as it was read, record after record: one buffer of field bytes and the end of each
/// field. Turning rows into columns is left to <see cref="ReadColumn"/>, which the scan calls on every core, column
/// by column. Building every column while parsing did that on the reading thread alone, touching as many buffers per
/// record as there are columns: a table of 100,000 columns spent most of its time there.
/// </summary>
internal sealed class RowMajorTextPart : DataPart
{
    private readonly int _index;
    private readonly int _columns;
    private readonly int _rows;
    private byte[]? _data;
    private int[]? _ends;

    private RowMajorTextPart(int index, int columns, int rows, byte[] data, int[] ends)
    {
        _index = index;
        _columns = columns;
        _rows = rows;
        _data = data;
        _ends = ends;
    }

    public override int Index => _index;

    public override int RowCountHint => _rows;

    // Per thread, for chunks: a chunk is read before the next is asked for, and a wide table's parts would otherwise
    // allocate three arrays per column per part.
    [ThreadStatic]
    private static Scratch? t_scratch;

    /// <summary>Column <paramref name="column"/> of every row; an empty field is a null.</summary>
    public override ColumnBatch ReadColumn(int column) => Gather(column, new Scratch(reuse: false));

    /// <summary>The column as one chunk in buffers this thread reuses for its next chunk.</summary>
    public override IEnumerable<ColumnBatch> ReadColumnChunks(int column)
    {
        yield return Gather(column, t_scratch ??= new Scratch(reuse: true));
    }

    private BytesColumnBatch Gather(int column, Scratch scratch)
    {
        var data = _data ?? throw new InvalidOperationException("part already released");
        var ends = _ends!;
        var offsets = scratch.Offsets(_rows + 1);
        bool[]? valid = null;
        var total = 0;
        offsets[0] = 0;
        for (var r = 0; r < _rows; r++)
        {
            var field = (r * _columns) + column;
            var length = ends[field] - (field == 0 ? 0 : ends[field - 1]);
            if (length == 0)
            {
                if (valid is null)
                {
                    valid = scratch.Valid(_rows);
                    valid.AsSpan(0, r).Fill(true);
                }

                valid[r] = false;
            }
            else if (valid is not null)
            {
                valid[r] = true;
            }

            total += length;
            offsets[r + 1] = total;
        }

        var values = scratch.Values(total);
        for (var r = 0; r < _rows; r++)
        {
            var field = (r * _columns) + column;
            var start = field == 0 ? 0 : ends[field - 1];
            data.AsSpan(start, ends[field] - start).CopyTo(values.AsSpan(offsets[r]));
        }

        return new BytesColumnBatch(offsets, values, _rows, valid, isText: true);
    }

    // The buffers go back to the pool the next part's builder rents from: a wide table's parts are tens of MB each,
    // and fresh ones counted toward the large-object budget, so each part set off a full collection of the whole
    // heap of column statistics (and the kernel zeroed every page again).
    public override void Release()
    {
        if (_data is { } data)
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(data);
        }

        if (_ends is { } ends)
        {
            System.Buffers.ArrayPool<int>.Shared.Return(ends);
        }

        _data = null;
        _ends = null;
    }

    /// <summary>Arrays for one column's chunk: fresh each time, or kept and reused when <c>reuse</c> is set.</summary>
    private sealed class Scratch(bool reuse)
    {
        private int[] _offsets = [];
        private bool[] _valid = [];
        private byte[] _values = [];

        public int[] Offsets(int length) => Take(ref _offsets, length);

        public bool[] Valid(int length) => Take(ref _valid, length);

        public byte[] Values(int length) => Take(ref _values, length);

        private T[] Take<T>(ref T[] kept, int length)
        {
            if (!reuse)
            {
                return new T[length];
            }

            if (kept.Length < length)
            {
                kept = new T[Math.Max(length, kept.Length * 2)];
            }

            return kept;
        }
    }

    /// <summary>Collects the records of one part.</summary>
    public sealed class Builder
    {
        private readonly int _columns;
        private readonly int _extraFrom;
        private readonly byte _separator;
        private byte[] _data;
        private int[] _ends;
        private int _used;

        /// <param name="extraFrom">The header's field count when the last column holds the fields past it, else -1.</param>
        /// <param name="separator">The separator the extra fields are joined with (quoted as CSV where needed).</param>
        public Builder(int columns, int rowsHint, int extraFrom = -1, byte separator = (byte)',')
        {
            _columns = columns;
            _extraFrom = extraFrom;
            _separator = separator;
            var cells = (long)columns * Math.Max(rowsHint, 1);
            _ends = System.Buffers.ArrayPool<int>.Shared.Rent((int)Math.Min(cells, Array.MaxLength));
            _data = System.Buffers.ArrayPool<byte>.Shared.Rent((int)Math.Min(cells * 4, 1 << 24));
        }

        public int Rows { get; private set; }

        /// <summary>Bytes of field data held so far.</summary>
        public int Bytes => _used;

        /// <summary>Appends a record's first <c>columns</c> fields; missing ones are empty (null).</summary>
        public void Add(CsvRecord fields)
        {
            var first = Rows * _columns;
            if (_ends.Length < first + _columns)
            {
                Grow(ref _ends, (int)Math.Min(Math.Max((long)_ends.Length * 2, first + _columns), Array.MaxLength), first);
            }

            var plain = _extraFrom < 0 ? _columns : _extraFrom;
            var count = Math.Min(fields.Count, plain);
            for (var c = 0; c < count; c++)
            {
                Append(fields[c]);
                _ends[first + c] = _used;
            }

            _ends.AsSpan(first + count, plain - count).Fill(_used);
            if (_extraFrom >= 0)
            {
                for (var c = _extraFrom; c < fields.Count; c++)
                {
                    if (c > _extraFrom)
                    {
                        Append([_separator]);
                    }

                    AppendQuoted(fields[c]);
                }

                _ends[first + _columns - 1] = _used;
            }

            Rows++;
        }

        // As a CSV writer would: a field holding the separator, a quote or a line break is quoted, quotes doubled.
        private void AppendQuoted(ReadOnlySpan<byte> field)
        {
            if (field.IndexOfAny(_separator, (byte)'"', (byte)'\n') < 0 && !field.Contains((byte)'\r'))
            {
                Append(field);
                return;
            }

            Append("\""u8);
            foreach (var b in field)
            {
                Append(b == (byte)'"' ? "\"\""u8 : [b]);
            }

            Append("\""u8);
        }

        private void Append(ReadOnlySpan<byte> bytes)
        {
            if (_used + bytes.Length > _data.Length)
            {
                Grow(ref _data, (int)Math.Min(Math.Max((long)_data.Length * 2, (long)_used + bytes.Length), Array.MaxLength), _used);
            }

            bytes.CopyTo(_data.AsSpan(_used));
            _used += bytes.Length;
        }

        public RowMajorTextPart Build(int index) => new(index, _columns, Rows, _data, _ends);

        private static void Grow<T>(ref T[] buffer, int length, int used)
        {
            var larger = System.Buffers.ArrayPool<T>.Shared.Rent(length);
            buffer.AsSpan(0, used).CopyTo(larger);
            System.Buffers.ArrayPool<T>.Shared.Return(buffer);
            buffer = larger;
        }
    }
}
