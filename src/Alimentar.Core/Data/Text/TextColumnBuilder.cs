namespace Alimentar.Data.Text;

/// <summary>Accumulates the cells of one column of a text-format chunk as UTF-8 bytes.</summary>
internal sealed class TextColumnBuilder
{
    private int[] _offsets;
    private byte[] _data;
    private bool[] _valid;
    private JsonValueKind2[]? _kinds;
    private bool _anyNull;

    /// <param name="initialRows">Rows to make room for; the buffers grow past it. Small by default: a table of
    /// 100,000 columns has as many builders, and kilobytes each would be gigabytes before a row is read.</param>
    public TextColumnBuilder(bool trackJsonKinds, int initialRows = 16)
    {
        initialRows = Math.Max(initialRows, 1);
        _offsets = new int[initialRows + 1];
        _valid = new bool[initialRows];
        _data = new byte[initialRows * 8];
        if (trackJsonKinds)
        {
            _kinds = new JsonValueKind2[initialRows];
        }
    }

    public int Count { get; private set; }

    public void Add(ReadOnlySpan<byte> value, JsonValueKind2 kind = JsonValueKind2.String)
    {
        EnsureRow();
        var start = _offsets[Count];
        if (_data.Length < start + value.Length)
        {
            Array.Resize(ref _data, Math.Max(start + value.Length, _data.Length * 2));
        }

        value.CopyTo(_data.AsSpan(start));
        _offsets[Count + 1] = start + value.Length;
        _valid[Count] = true;
        if (_kinds is not null)
        {
            _kinds[Count] = kind;
        }

        Count++;
    }

    public void AddNull()
    {
        EnsureRow();
        _offsets[Count + 1] = _offsets[Count];
        _valid[Count] = false;
        _anyNull = true;
        Count++;
    }

    public BytesColumnBatch Build() =>
        new(_offsets, _data, Count, _anyNull ? _valid : null, isText: true, _kinds);

    private void EnsureRow()
    {
        if (Count + 1 >= _valid.Length)
        {
            var size = _valid.Length * 2;
            Array.Resize(ref _valid, size);
            Array.Resize(ref _offsets, size + 1);
            if (_kinds is not null)
            {
                Array.Resize(ref _kinds, size);
            }
        }
    }
}

/// <summary>A chunk of a text-format file, already parsed into columns.</summary>
internal sealed class MaterializedPart(int index, ColumnBatch[] columns) : DataPart
{
    private ColumnBatch[]? _columns = columns;

    public override int Index => index;

    public override int RowCountHint => _columns is { Length: > 0 } c ? c[0].Length : 0;

    public override ColumnBatch ReadColumn(int column) =>
        (_columns ?? throw new InvalidOperationException("part already released"))[column];

    public override void Release() => _columns = null;
}
