namespace Alimentar.Quality.Accumulators;

/// <summary>
/// Quantiles from a bounded sample: exact (every value kept) up to <see cref="Capacity"/> values, then a uniform
/// sample of <see cref="Capacity"/> values chosen by bottom-k sampling. Each value gets a pseudo-random priority
/// from its position in its stream, and the sample is the values with the smallest priorities. That makes a value
/// cost one hash and one comparison (a reservoir sampler computed three logarithms and an exponential for each of
/// the ~k ln(n/k) replacements, 12 ns a value on a million-row part), and merging exact: the union of two samples
/// cut at the smaller threshold is the sample of the union. Results depend on the input and the part layout only,
/// never on the order in which parts finish.
/// </summary>
public sealed class QuantileSketch
{
    public const int Capacity = 32_768;

    /// <summary>Values held by the sketches of one dataset's columns together, at most (16 bytes each, twice that while buffering).</summary>
    public const long DatasetBudget = 4L * 1024 * 1024;

    private int _capacity = Capacity;

    private Entry[] _entries = [];
    private double[]? _sample;
    private (long Count, int Held) _sampleFor;
    private int _held;
    private ulong _threshold = ulong.MaxValue;
    private ulong _stream;
    private bool _dropped;

    // Published by parts sampled into this (dataset) sketch; read by them through _shared.
    private readonly SharedBound _partBound = new();
    private SharedBound? _shared;
    private long _expected;

    public long Count { get; private set; }

    /// <summary>How many values the sample holds at most.</summary>
    public int SampleCapacity => _capacity;

    // Values are appended until twice the capacity, then cut back to the capacity smallest priorities. Small samples
    // (wide tables: one per column) get a quarter more instead, in an array of exactly that size: the pool rounds up to
    // a power of two, and twice 41 values came back as 128, 2 KB a column (200 MB at 100,000 columns). Which values
    // are kept does not depend on when the cuts happen.
    private int Buffer => _capacity > ExactBuffersUpTo ? 2 * _capacity : _capacity + Math.Max(8, _capacity / 4);

    private const int ExactBuffersUpTo = 1024;

    private bool _pooled;

    /// <summary>
    /// The sample size for each of <paramref name="columns"/> columns: <see cref="Capacity"/> up to 128 columns, then
    /// smaller so that all of them together stay within <see cref="DatasetBudget"/> (64 values each at 65,536 columns,
    /// 41 at 100,000, never fewer than 32). Without it a table of 100,000 numeric columns would hold 50 GB of samples.
    /// </summary>
    public static int CapacityFor(int columns) => (int)Math.Clamp(DatasetBudget / Math.Max(columns, 1), 32, Capacity);

    /// <summary>Sets the sample size before the first value (parts take their dataset sketch's in <see cref="StartStream"/>).</summary>
    public void Limit(int capacity)
    {
        if (Count > 0)
        {
            throw new InvalidOperationException("a sketch's capacity is set before its first value");
        }

        _capacity = Math.Clamp(capacity, 16, Capacity);
    }

    /// <summary>True while every value added is held.</summary>
    public bool IsExact => !_dropped;

    /// <summary>
    /// Names this sketch's stream (e.g. the part number) before any value is added, so that parts sampled in
    /// parallel draw independent priorities. With <paramref name="dataset"/> (the sketch the parts will be merged
    /// into), parts share a bound: once any part has cut its sample, a value above that part's threshold cannot be
    /// among the dataset's smallest priorities either, so every part may skip it. The merged sample is the same.
    /// </summary>
    /// <param name="expectedValues">About how many values the stream will have (e.g. the part's rows): a part that
    /// will fill the buffer rents it whole at once instead of growing through ten smaller ones.</param>
    public void StartStream(long stream, QuantileSketch? dataset = null, long expectedValues = 0)
    {
        if (Count > 0)
        {
            throw new InvalidOperationException("a sketch's stream is set before its first value");
        }

        _stream = Mix((ulong)stream * 0xD1B54A32D192ED03UL);
        _shared = dataset?._partBound;
        _capacity = dataset?._capacity ?? _capacity;
        _expected = expectedValues;
    }

    /// <summary>Applies a lower bound another part has published since (cheap; called once per chunk).</summary>
    public void CatchUp()
    {
        if (_shared is { } shared && shared.Value < _threshold)
        {
            _threshold = shared.Value;
            _dropped = true;
            KeepBelow(_threshold);
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public void Add(double value)
    {
        var priority = Mix(_stream + ((ulong)++Count * 0x9E3779B97F4A7C15UL));
        if (priority < _threshold)
        {
            Append(priority, value);
        }
    }

    /// <summary>Adds the present (<paramref name="valid"/> null: all), finite values in order: <see cref="Add"/> on each.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void AddChunk<T>(ReadOnlySpan<T> values, bool[]? valid)
        where T : unmanaged, System.Numerics.INumberBase<T>
    {
        // The position counter, stream and threshold in locals: they went through memory on every value.
        var count = (ulong)Count;
        var stream = _stream;
        var threshold = _threshold;
        for (var i = 0; i < values.Length; i++)
        {
            if (!NumericChunk.Takes(values, valid, i))
            {
                continue;
            }

            var priority = Mix(stream + (++count * 0x9E3779B97F4A7C15UL));
            if (priority < threshold)
            {
                Append(priority, double.CreateTruncating(values[i]));
                threshold = _threshold;
            }
        }

        Count = (long)count;
    }

    public void Merge(QuantileSketch other)
    {
        if (other._threshold < _threshold)
        {
            _threshold = other._threshold;
            KeepBelow(_threshold);
        }

        for (var i = 0; i < other._held; i++)
        {
            if (other._entries[i].Priority < _threshold)
            {
                Append(other._entries[i].Priority, other._entries[i].Value);
            }
            else
            {
                _dropped = true;
            }
        }

        Count += other.Count;
        _dropped |= other._dropped;
    }

    /// <summary>Gives the sample's buffer back to the pool; call once the sketch has been merged and is not used again.</summary>
    public void Release()
    {
        if (_entries.Length > 0)
        {
            if (_pooled)
            {
                System.Buffers.ArrayPool<Entry>.Shared.Return(_entries);
            }

            _entries = [];
            _pooled = false;
        }
    }

    /// <summary>First and third quartiles with linear interpolation, or NaN when empty.</summary>
    public (double Q1, double Q3) Quartiles()
    {
        var sample = Sample();
        if (sample.Length == 0)
        {
            return (double.NaN, double.NaN);
        }

        // Order statistics by selection instead of a full sort: sorting the 32k-value samples of every numeric
        // column was most of the single-threaded scoring after a scan.
        var keys = new long[sample.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = SortKey(sample[i]);
        }

        return (Quantile(keys, 0.25), Quantile(keys, 0.75));
    }

    /// <summary>Estimated number of values outside [low, high]; exact while the sketch holds every value.</summary>
    public long CountOutside(double low, double high)
    {
        var sample = Sample();
        if (sample.Length == 0)
        {
            return 0;
        }

        var outside = 0L;
        foreach (var v in sample)
        {
            if (v < low || v > high)
            {
                outside++;
            }
        }

        return IsExact ? outside : (long)Math.Round((double)outside * Count / sample.Length);
    }

    /// <summary>Up to <paramref name="limit"/> distinct sampled values outside [low, high], the farthest from the fence first.</summary>
    public IReadOnlyList<double> ExamplesOutside(double low, double high, int limit) =>
        Sample().Where(v => v < low || v > high)
            .Distinct()
            .OrderByDescending(v => v < low ? low - v : v - high)
            .Take(limit)
            .ToList();

    /// <summary>
    /// Values per equal-width bin over [<paramref name="min"/>, <paramref name="max"/>] (the column's exact extremes),
    /// scaled to <see cref="Count"/> when the sample does not hold every value. NaN and infinities are not binned.
    /// </summary>
    public long[] Histogram(double min, double max, int bins)
    {
        var counts = new long[bins];
        var sample = Sample();
        var width = (max - min) / bins;
        foreach (var v in sample)
        {
            if (!double.IsFinite(v))
            {
                continue;
            }

            var bin = width > 0 ? (int)((v - min) / width) : 0;
            counts[Math.Clamp(bin, 0, bins - 1)]++;
        }

        if (!IsExact && sample.Length > 0)
        {
            var scale = (double)Count / sample.Length;
            for (var i = 0; i < bins; i++)
            {
                counts[i] = (long)Math.Round(counts[i] * scale);
            }
        }

        return counts;
    }

    // Built once and shared by the quartiles and the fence count, which scoring asks for in a row.
    private double[] Sample()
    {
        if (_sample is { } cached && _sampleFor == (Count, _held))
        {
            return cached;
        }

        if (_held > _capacity)
        {
            Cut();
        }

        var sample = new double[_held];
        for (var i = 0; i < sample.Length; i++)
        {
            sample[i] = _entries[i].Value;
        }

        _sample = sample;
        _sampleFor = (Count, _held);
        return sample;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void Append(ulong priority, double value)
    {
        if (_held == _entries.Length || _held == Buffer)
        {
            if (_held >= Buffer)
            {
                Cut();
                if (priority >= _threshold)
                {
                    return;
                }
            }
            else
            {
                // Pooled: every column of every part has a sketch, and fresh buffers of up to 1 MB cost page faults.
                var size = _held == 0 && _expected >= Buffer ? Buffer : Math.Clamp(_held * 2, 16, Buffer);
                var pooled = _capacity > ExactBuffersUpTo;
                var larger = pooled ? System.Buffers.ArrayPool<Entry>.Shared.Rent(size) : new Entry[size];
                _entries.AsSpan(0, _held).CopyTo(larger);
                Release();
                _entries = larger;
                _pooled = pooled;
            }
        }

        _entries[_held++] = new Entry(priority, value);
    }

    /// <summary>Keeps the <see cref="SampleCapacity"/> entries of smallest priority; the threshold moves just above the largest kept.</summary>
    private void Cut()
    {
        if (_held <= _capacity)
        {
            return;
        }

        var entries = _entries.AsSpan(0, _held);
        SelectSmallest(entries, _capacity);
        var largest = 0UL;
        foreach (var e in entries[.._capacity])
        {
            largest = Math.Max(largest, e.Priority);
        }

        // Every value with a priority below the threshold is held. (Priorities are 64-bit hashes: a tie with the
        // largest kept one, dropped here, is practically impossible and would only shift the sample by one value.)
        _held = _capacity;
        _threshold = largest == ulong.MaxValue ? largest : largest + 1;
        _dropped = true;
        _shared?.LowerTo(_threshold);
        _partBound.LowerTo(_threshold);
    }

    private void KeepBelow(ulong threshold)
    {
        var kept = 0;
        for (var i = 0; i < _held; i++)
        {
            if (_entries[i].Priority < threshold)
            {
                _entries[kept++] = _entries[i];
            }
            else
            {
                _dropped = true;
            }
        }

        _held = kept;
    }

    /// <summary>Moves the k entries of smallest priority to the front (quickselect; priorities are random, so pivots are good).</summary>
    private static void SelectSmallest(Span<Entry> entries, int k)
    {
        var low = 0;
        var high = entries.Length - 1;
        while (low < high)
        {
            var pivot = entries[low + ((high - low) / 2)].Priority;
            var i = low;
            var j = high;
            while (i <= j)
            {
                while (entries[i].Priority < pivot)
                {
                    i++;
                }

                while (entries[j].Priority > pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    (entries[i], entries[j]) = (entries[j], entries[i]);
                    i++;
                    j--;
                }
            }

            if (k - 1 <= j)
            {
                high = j;
            }
            else if (k - 1 >= i)
            {
                low = i;
            }
            else
            {
                return;
            }
        }
    }

    /// <summary>
    /// The q-quantile with linear interpolation between the order statistics around q x (n - 1), as read off a
    /// sorted array. Reorders <paramref name="keys"/>.
    /// </summary>
    private static double Quantile(Span<long> keys, double q)
    {
        var position = q * (keys.Length - 1);
        var lower = (int)Math.Floor(position);
        SelectKth(keys, lower);
        var low = FromSortKey(keys[lower]);
        var high = low;
        if (lower + 1 < keys.Length)
        {
            // Selection leaves every larger key to the right, so the next order statistic is their minimum.
            var next = keys[lower + 1];
            foreach (var k in keys[(lower + 2)..])
            {
                next = Math.Min(next, k);
            }

            high = FromSortKey(next);
        }

        return low + ((high - low) * (position - lower));
    }

    /// <summary>Moves the k-th smallest key to index k, smaller ones before it and larger ones after (quickselect).</summary>
    private static void SelectKth(Span<long> keys, int k)
    {
        var low = 0;
        var high = keys.Length - 1;
        while (low < high)
        {
            var pivot = keys[low + ((high - low) / 2)];
            var i = low;
            var j = high;
            while (i <= j)
            {
                while (keys[i] < pivot)
                {
                    i++;
                }

                while (keys[j] > pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    (keys[i], keys[j]) = (keys[j], keys[i]);
                    i++;
                    j--;
                }
            }

            if (k <= j)
            {
                high = j;
            }
            else if (k >= i)
            {
                low = i;
            }
            else
            {
                return;
            }
        }
    }

    // Integers that order like double.CompareTo (NaN first, then -Infinity up to +Infinity).
    private static long SortKey(double value)
    {
        if (double.IsNaN(value))
        {
            return long.MinValue;
        }

        var bits = BitConverter.DoubleToInt64Bits(value);
        return bits < 0 ? bits ^ long.MaxValue : bits;
    }

    private static double FromSortKey(long key) => key == long.MinValue ? double.NaN : BitConverter.Int64BitsToDouble(key < 0 ? key ^ long.MaxValue : key);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private readonly record struct Entry(ulong Priority, double Value);

    private sealed class SharedBound
    {
        private long _value = -1; // as ulong: MaxValue

        public ulong Value => (ulong)Volatile.Read(ref _value);

        public void LowerTo(ulong bound)
        {
            var current = Volatile.Read(ref _value);
            while (bound < (ulong)current)
            {
                var seen = Interlocked.CompareExchange(ref _value, (long)bound, current);
                if (seen == current)
                {
                    return;
                }

                current = seen;
            }
        }
    }
}
