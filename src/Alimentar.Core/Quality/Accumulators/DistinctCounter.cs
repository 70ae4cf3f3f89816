using Alimentar.Hashing;

namespace Alimentar.Quality.Accumulators;

/// <summary>
/// Distinct count: exact up to <see cref="ExactLimit"/> values, then a HyperLogLog (p = 14, about 0.8 %
/// standard error). Mergeable: exact sets union, registers take the maximum. An integer column's exact values may
/// be held as bits over a window of values instead of hashes (<see cref="AddIntegers"/>); they become the hashes the
/// scan gives them (<see cref="CellHash.Integer"/>) as soon as anything else is asked of them.
/// </summary>
public sealed class DistinctCounter
{
    public const int ExactLimit = 100_000;
    private const int Precision = 14;
    private const int RegisterCount = 1 << Precision;

    private ExactHashSet? _exact = new();
    private byte[]? _registers;
    private bool _willBeApproximate;

    // While set, it holds every exact value and the hash set is empty.
    private IntegerValueSet? _window;
    private bool _windowTried;

    public bool IsExact => _exact is not null;

    /// <summary>
    /// Set on a dataset's counter when some part alone went past <see cref="ExactLimit"/>: the merged count will be
    /// approximate, so parts still scanning can move to the sketch before their merge says so.
    /// </summary>
    public bool WillBeApproximate
    {
        get => Volatile.Read(ref _willBeApproximate);
        set => Volatile.Write(ref _willBeApproximate, value);
    }

    /// <summary>
    /// Moves to the sketch now. A part's counter does this once the dataset's counter has moved: the merged count
    /// will be approximate anyway, and the registers come out the same as if the exact values were merged later.
    /// </summary>
    public void AbandonExact()
    {
        if (_exact is not null)
        {
            SwitchToSketch();
        }
    }

    /// <summary>The exact count so far, or 0 once approximate; a sizing hint, safe to read while another thread adds.</summary>
    public int ExactCountHint => _window is { } window ? window.Count : _exact is { } exact ? exact.Count : 0;

    /// <summary>Sizes the exact set for about <paramref name="count"/> values up front (no effect once approximate).</summary>
    public void Reserve(int count) => _exact?.Reserve(Math.Min(count, ExactLimit + 1));

    /// <summary>Returns pooled memory; call once this counter has been merged and will not be used again.</summary>
    public void Release()
    {
        _exact?.Release();
        _window?.Release();
        _window = null;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void Add(ulong hash)
    {
        LeaveWindow();
        if (_exact is not null)
        {
            _exact.Add(hash);
            if (_exact.Count > ExactLimit)
            {
                SwitchToSketch();
            }

            return;
        }

        AddToRegisters(_registers!, hash);
    }

    /// <summary>
    /// Adds the low 64 bits of every hash whose <paramref name="absent"/> flag is false. A set with tens of
    /// thousands of values outgrows the L2 cache, and probing it row by row stalled on a cache miss per value; here
    /// each probe's slot is prefetched a few rows ahead.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void AddPresent(ReadOnlySpan<UInt128> hashes, ReadOnlySpan<bool> absent)
    {
        var n = hashes.Length;
        if (n == 0)
        {
            return;
        }

        LeaveWindow();
        var i = 0;
        if (_exact is not null)
        {
            i = _exact.AddPresent(hashes, absent, ExactLimit);
            if (_exact.Count > ExactLimit)
            {
                SwitchToSketch();
            }
        }

        var registers = _registers;
        if (registers is null)
        {
            return;
        }

        for (; i < n; i++)
        {
            if (!absent[i])
            {
                AddToRegisters(registers, (ulong)hashes[i]);
            }
        }
    }

    /// <summary>
    /// Adds a chunk of an integer column: its present values by value while they fit a window of values (counts,
    /// ratings, years and category codes fall in a narrow range: setting a bit in a table that stays in the L2 cache
    /// is far cheaper than probing a hash set of 100k values, which missed the cache on most rows), and from the
    /// first value outside it on, their <paramref name="hashes"/>. <paramref name="useWindow"/> is false for parts
    /// too small to pay for the window's table.
    /// </summary>
    public void AddIntegers(ReadOnlySpan<long> values, bool[]? valid, ReadOnlySpan<UInt128> hashes, ReadOnlySpan<bool> absent, bool useWindow)
    {
        var counted = 0;
        if (_exact is not null && (_window is not null || (useWindow && !_windowTried && _exact.Count == 0)))
        {
            _windowTried = true;
            if (_window is null && FirstPresent(values, valid) is { } first)
            {
                _window = new IntegerValueSet(first);
            }

            if (_window is not null)
            {
                counted = _window.AddPresent(values, valid);
                if (counted < values.Length || _window.Count > ExactLimit)
                {
                    LeaveWindow();
                }
            }
        }

        AddPresent(hashes[counted..], absent[counted..]);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void Merge(DistinctCounter other)
    {
        if (_exact is not null && other._exact is not null && other._window is { } window
            && (_window is null ? _exact.Count == 0 && !_windowTried : _window.Base == window.Base))
        {
            // Windows over the same values (parts of one column start in the same aligned block): a union of bits.
            _windowTried = true;
            _window ??= new IntegerValueSet(window.Base, aligned: true);
            _window.UnionWith(window);
            if (_window.Count > ExactLimit)
            {
                LeaveWindow();
            }

            return;
        }

        LeaveWindow();
        other.LeaveWindow();
        if (_exact is not null && other._exact is not null)
        {
            // As large as the larger set, not the sum: that is what keeps the other set's items (which come out in
            // slot order) from piling up, and parts of one column mostly share their values, so reserving for the
            // sum made a second table twice the size on the folding thread for nothing.
            _exact.Reserve(Math.Max(_exact.Count, other._exact.Count));
            foreach (var h in other._exact.Items())
            {
                _exact.Add(h);
            }

            if (_exact.Count > ExactLimit)
            {
                SwitchToSketch();
            }

            return;
        }

        if (_exact is not null)
        {
            SwitchToSketch();
        }

        if (other._exact is not null)
        {
            foreach (var h in other._exact.Items())
            {
                AddToRegisters(_registers!, h);
            }

            return;
        }

        for (var i = 0; i < RegisterCount; i++)
        {
            _registers![i] = Math.Max(_registers[i], other._registers![i]);
        }
    }

    public long Count()
    {
        if (_window is not null)
        {
            return _window.Count;
        }

        if (_exact is not null)
        {
            return _exact.Count;
        }

        double sum = 0;
        var zeros = 0;
        foreach (var r in _registers!)
        {
            // 2^-r exactly, without Math.Pow (16k calls per column showed in the scoring time).
            sum += BitConverter.Int64BitsToDouble((long)(1023 - r) << 52);
            if (r == 0)
            {
                zeros++;
            }
        }

        var alpha = 0.7213 / (1 + (1.079 / RegisterCount));
        var estimate = alpha * RegisterCount * RegisterCount / sum;
        if (estimate <= 2.5 * RegisterCount && zeros > 0)
        {
            estimate = RegisterCount * Math.Log((double)RegisterCount / zeros);
        }

        return (long)Math.Round(estimate);
    }

    private static long? FirstPresent(ReadOnlySpan<long> values, bool[]? valid)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (valid is null || valid[i])
            {
                return values[i];
            }
        }

        return null;
    }

    /// <summary>Turns the window's values into hashes in the exact set, or registers past the exact limit.</summary>
    private void LeaveWindow()
    {
        if (_window is not { } window)
        {
            return;
        }

        _window = null;
        if (window.Count > ExactLimit)
        {
            SwitchToSketch();
            foreach (var value in window.Values())
            {
                AddToRegisters(_registers!, (ulong)CellHash.Integer(value));
            }
        }
        else
        {
            _exact!.Reserve(window.Count);
            foreach (var value in window.Values())
            {
                _exact.Add((ulong)CellHash.Integer(value));
            }
        }

        window.Release();
    }

    private void SwitchToSketch()
    {
        LeaveWindow();
        _registers = new byte[RegisterCount];
        foreach (var h in _exact!.Items())
        {
            AddToRegisters(_registers, h);
        }

        var exact = _exact;
        _exact = null;
        exact.Release();
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static void AddToRegisters(byte[] registers, ulong hash)
    {
        var index = (int)(hash >> (64 - Precision));
        var rest = (hash << Precision) | (1UL << (Precision - 1));
        var rank = (byte)(System.Numerics.BitOperations.LeadingZeroCount(rest) + 1);
        if (registers[index] < rank)
        {
            registers[index] = rank;
        }
    }
}

/// <summary>
/// A set of 64-bit hashes with linear probing in one array. The values are already well-mixed hashes, so
/// their top bits index the table directly; HashSet&lt;ulong&gt; cost twice as much per insert (a modulo, a
/// bucket array and an entry array), and a column with just under <see cref="DistinctCounter.ExactLimit"/>
/// values stays in this set for every row.
/// </summary>
internal sealed class ExactHashSet
{
    private ulong[] _slots;
    private int _shift;
    private bool _hasZero;

    public ExactHashSet()
    {
        // Small to start (it doubles as it fills): a wide table has one set per column, most of them tiny.
        _slots = Rent(16);
        _shift = 64 - System.Numerics.BitOperations.Log2((uint)_slots.Length);
    }

    public int Count { get; private set; }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public void Add(ulong hash)
    {
        if (hash == 0)
        {
            if (!_hasZero)
            {
                _hasZero = true;
                Count++;
            }

            return;
        }

        if (TryInsert(_slots, (int)(hash >> _shift), hash) && ++Count * 2 > _slots.Length)
        {
            Grow();
        }
    }

    /// <summary>
    /// Adds the hashes whose <paramref name="absent"/> flag is false until the set holds more than
    /// <paramref name="limit"/> values; returns how many hashes it went through. The table lives in locals and each
    /// probe's slot is prefetched a few values ahead (a set of tens of thousands of values outgrows the L2 cache).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public unsafe int AddPresent(ReadOnlySpan<UInt128> hashes, ReadOnlySpan<bool> absent, int limit)
    {
        const int Ahead = 8;
        var n = Math.Min(hashes.Length, absent.Length);
        var slots = _slots;
        var shift = _shift;
        var i = 0;
        while (i < n)
        {
            if (absent[i])
            {
                i++;
                continue;
            }

            if (i + Ahead < n && System.Runtime.Intrinsics.X86.Sse.IsSupported)
            {
                // A prefetch never faults, so an address the GC has since moved costs nothing but a wasted load.
                var ahead = (int)((ulong)hashes[i + Ahead] >> shift);
                System.Runtime.Intrinsics.X86.Sse.Prefetch0(System.Runtime.CompilerServices.Unsafe.AsPointer(ref slots[ahead]));
            }

            var hash = (ulong)hashes[i];
            i++;
            if (hash == 0)
            {
                Add(0);
                if (Count > limit)
                {
                    return i;
                }

                continue;
            }

            if (!TryInsert(slots, (int)(hash >> shift), hash))
            {
                continue;
            }

            if (++Count * 2 > slots.Length)
            {
                Grow();
                slots = _slots;
                shift = _shift;
            }

            if (Count > limit)
            {
                return i;
            }
        }

        return i;
    }

    /// <summary>Linear probing from <paramref name="i"/>: false when the hash is there already, true when added.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static bool TryInsert(ulong[] slots, int i, ulong hash)
    {
        var mask = slots.Length - 1;
        while (true)
        {
            var existing = slots[i];
            if (existing == hash)
            {
                return false;
            }

            if (existing == 0)
            {
                slots[i] = hash;
                return true;
            }

            i = (i + 1) & mask;
        }
    }

    /// <summary>
    /// Sizes the table for <paramref name="count"/> values. Merging needs this first: another set's items come out
    /// in slot order, i.e. sorted by their top bits, and sorted keys poured into a smaller table pile up in its first
    /// slots (merging 100k values cost 400 ns each that way, 10 ns after reserving).
    /// </summary>
    public void Reserve(int count)
    {
        var size = _slots.Length;
        while (count * 2 > size)
        {
            size *= 2;
        }

        if (size != _slots.Length)
        {
            Resize(size);
        }
    }

    /// <summary>The values, in slot order; a struct enumerator (merges walk 100k values, and an iterator object's
    /// interface calls showed in their cost).</summary>
    public ItemEnumerable Items() => new(_slots, _hasZero);

    public readonly struct ItemEnumerable(ulong[] slots, bool hasZero)
    {
        public ItemEnumerator GetEnumerator() => new(slots, hasZero);
    }

    public struct ItemEnumerator(ulong[] slots, bool hasZero)
    {
        private int _index = hasZero ? -2 : -1;

        public readonly ulong Current => _index < 0 ? 0 : slots[_index];

        public bool MoveNext()
        {
            if (_index == -2)
            {
                _index = -1;
                return true; // the zero value, which no slot can hold
            }

            while (++_index < slots.Length)
            {
                if (slots[_index] != 0)
                {
                    return true;
                }
            }

            return false;
        }
    }

    public void Release()
    {
        if (_slots.Length > 0)
        {
            System.Buffers.ArrayPool<ulong>.Shared.Return(_slots);
            _slots = [];
        }
    }

    // Pooled: sets are built per column per part, and fresh arrays of a few MB cost page faults every time.
    private static ulong[] Rent(int size)
    {
        var slots = System.Buffers.ArrayPool<ulong>.Shared.Rent(size);
        Array.Clear(slots);
        return slots;
    }

    private void Grow() => Resize(_slots.Length * 2);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void Resize(int size)
    {
        var old = _slots;
        _slots = Rent(size);
        _shift = 64 - System.Numerics.BitOperations.Log2((uint)_slots.Length);
        var mask = _slots.Length - 1;
        foreach (var h in old)
        {
            if (h == 0)
            {
                continue;
            }

            var i = (int)(h >> _shift);
            while (_slots[i] != 0)
            {
                i = (i + 1) & mask;
            }

            _slots[i] = h;
        }

        System.Buffers.ArrayPool<ulong>.Shared.Return(old);
    }
}

/// <summary>
/// Distinct integers as bits over a window of <see cref="Window"/> values (256 KB, stays in the L2 cache), for
/// <see cref="DistinctCounter.AddIntegers"/>.
/// </summary>
internal sealed class IntegerValueSet
{
    public const int Window = 1 << 21;

    private readonly long _base;
    private ulong[] _bits;

    /// <param name="first">A value the window must hold. Windows are placed by the block of half their size that holds
    /// it, a quarter of the window below that block, so parts of one column whose first values share a block get the
    /// same window (and merge by OR), and every window reaches at least a quarter of its size either side of its first
    /// value.</param>
    /// <param name="aligned">True when <paramref name="first"/> is already a window's base.</param>
    public IntegerValueSet(long first, bool aligned = false)
    {
        _base = aligned ? first : unchecked((first & ~((long)(Window / 2) - 1)) - (Window / 4));
        _bits = System.Buffers.ArrayPool<ulong>.Shared.Rent(Window / 64);
        Array.Clear(_bits, 0, Window / 64);
    }

    public long Base => _base;

    public int Count { get; private set; }

    /// <summary>Adds another window's values; both must have the same <see cref="Base"/>.</summary>
    public void UnionWith(IntegerValueSet other)
    {
        var mine = _bits.AsSpan(0, Window / 64);
        var theirs = other._bits.AsSpan(0, Window / 64);
        var count = 0;
        for (var w = 0; w < mine.Length; w++)
        {
            mine[w] |= theirs[w];
            count += System.Numerics.BitOperations.PopCount(mine[w]);
        }

        Count = count;
    }

    /// <summary>
    /// Adds the present values (<paramref name="valid"/> null means all) up to the first one outside the window,
    /// and returns how many values it went through: all of them, or the index of that value.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public int AddPresent(ReadOnlySpan<long> values, bool[]? valid)
    {
        var bits = _bits.AsSpan(0, Window / 64);
        var count = Count;
        var i = 0;
        for (; i < values.Length; i++)
        {
            if (valid is not null && !valid[i])
            {
                continue;
            }

            // Wrapping arithmetic: the window may straddle either end of the long range.
            var offset = unchecked((ulong)(values[i] - _base));
            if (offset >= Window)
            {
                break;
            }

            ref var word = ref bits[(int)(offset >> 6)];
            count += (int)((~word >> (int)offset) & 1);
            word |= 1UL << (int)offset;
        }

        Count = count;
        return i;
    }

    /// <summary>The values, in increasing order of their offset in the window.</summary>
    public IEnumerable<long> Values()
    {
        for (var w = 0; w < Window / 64; w++)
        {
            var word = _bits[w];
            while (word != 0)
            {
                var bit = System.Numerics.BitOperations.TrailingZeroCount(word);
                yield return unchecked(_base + (w * 64L) + bit);
                word &= word - 1;
            }
        }
    }

    public void Release()
    {
        if (_bits.Length > 0)
        {
            System.Buffers.ArrayPool<ulong>.Shared.Return(_bits);
            _bits = [];
        }
    }
}
