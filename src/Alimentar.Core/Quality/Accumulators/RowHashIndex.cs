namespace Alimentar.Quality.Accumulators;

/// <summary>
/// Open-addressing map from a 128-bit row hash to the index of the first row that had it: 20 bytes a slot,
/// no per-entry objects, about 3x leaner than <c>Dictionary&lt;UInt128,long&gt;</c>. The all-zero key marks
/// an empty slot, so a real all-zero hash is stored as (0, 1).
/// </summary>
public sealed class RowHashIndex
{
    private ulong[] _lo;
    private ulong[] _hi;
    private uint[] _first;
    private int _mask;

    public RowHashIndex(int capacity = 1 << 16)
    {
        var size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, capacity + (capacity / 3)));
        _lo = new ulong[size];
        _hi = new ulong[size];
        _first = new uint[size];
        _mask = size - 1;
    }

    public long Count { get; private set; }

    /// <summary>Adds the hash; returns -1 if new, otherwise the index of the row that had it first.</summary>
    public long AddOrGetFirst(UInt128 hash, long row)
    {
        if ((Count + 1) * 4 >= (long)_lo.Length * 3)
        {
            Grow();
        }

        var lo = (ulong)hash;
        var hi = (ulong)(hash >> 64);
        if (lo == 0 && hi == 0)
        {
            lo = 1;
        }

        var slot = (int)(lo ^ (hi * 0x9E3779B97F4A7C15UL)) & _mask;
        while (_lo[slot] != 0 || _hi[slot] != 0)
        {
            if (_lo[slot] == lo && _hi[slot] == hi)
            {
                return _first[slot];
            }

            slot = (slot + 1) & _mask;
        }

        _lo[slot] = lo;
        _hi[slot] = hi;
        // Row indices above 4G only lose their sample back-reference, not the duplicate count.
        _first[slot] = row > uint.MaxValue ? uint.MaxValue : (uint)row;
        Count++;
        return -1;
    }

    private void Grow()
    {
        var (lo, hi, first) = (_lo, _hi, _first);
        var size = lo.Length * 2;
        _lo = new ulong[size];
        _hi = new ulong[size];
        _first = new uint[size];
        _mask = size - 1;
        Count = 0;
        for (var i = 0; i < lo.Length; i++)
        {
            if (lo[i] != 0 || hi[i] != 0)
            {
                AddOrGetFirst(new UInt128(hi[i], lo[i]), first[i]);
            }
        }
    }
}
