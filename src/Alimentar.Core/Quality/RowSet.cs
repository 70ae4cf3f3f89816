namespace Alimentar.Quality;

/// <summary>A set of row indices as a growable bitmap: one bit a row, no object per row.</summary>
public sealed class RowSet
{
    private long[] _bits = new long[1024];

    public long Count { get; private set; }

    public void Add(long row)
    {
        var word = row >> 6;
        if (word >= _bits.Length)
        {
            Array.Resize(ref _bits, (int)Math.Max(word + 1, _bits.Length * 2L));
        }

        var mask = 1L << (int)(row & 63);
        if ((_bits[word] & mask) == 0)
        {
            _bits[word] |= mask;
            Count++;
        }
    }

    public bool Contains(long row) => row >= 0 && (row >> 6) < _bits.Length && (_bits[row >> 6] & (1L << (int)(row & 63))) != 0;
}
