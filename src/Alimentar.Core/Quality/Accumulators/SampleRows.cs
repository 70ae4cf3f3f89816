namespace Alimentar.Quality.Accumulators;

/// <summary>Up to <see cref="Limit"/> row indices that show a problem, earliest first.</summary>
public sealed class SampleRows
{
    public const int Limit = 5;

    // Created on the first sample: there are about twenty of these per column, and most stay empty.
    private List<long>? _rows;

    // The sampled cells' bytes (up to what SampleValue shows), where the sampler had them; null entries where not.
    // Kept as bytes and shown as text only when a report asks: most samples (the dominant class's) are never shown,
    // and turning each into text cost a second of a 100,000-column score.
    private List<byte[]?>? _values;

    public IReadOnlyList<long> Rows => (IReadOnlyList<long>?)_rows ?? [];

    /// <summary>
    /// The distinct values of the sampled cells that have one, in row order (escaped and shortened for display): five
    /// rows of 'not a date' show the value once.
    /// </summary>
    public IReadOnlyList<string> Values => _values?.OfType<byte[]>().Select(v => SampleValue.Of(v)).Distinct(StringComparer.Ordinal).ToList() ?? [];

    /// <summary>Each sampled row with its value as <see cref="Values"/> shows it, or null where the sampler had none.</summary>
    public IEnumerable<(long Row, string? Value)> Samples => Rows.Select((row, i) => (row, _values?[i] is { } value ? SampleValue.Of(value) : null));

    public void Add(long row) => AddSample(row, null);

    /// <summary>Samples a cell with its value; the value is copied only while the sample has room.</summary>
    public void Add(long row, ReadOnlySpan<byte> value)
    {
        if (_rows is null || _rows.Count < Limit)
        {
            AddSample(row, value[..Math.Min(value.Length, SampleValue.MaxBytes)].ToArray());
        }
    }

    /// <summary>Appends another part's samples, whose indices are local to it, shifted by <paramref name="offset"/>.</summary>
    public void Merge(SampleRows other, long offset)
    {
        for (var i = 0; i < other.Rows.Count; i++)
        {
            AddSample(other.Rows[i] + offset, other._values?[i]);
        }
    }

    private void AddSample(long row, byte[]? value)
    {
        _rows ??= new List<long>(Limit);
        if (_rows.Count >= Limit)
        {
            return;
        }

        if (value is not null && _values is null)
        {
            _values = [.. Enumerable.Repeat<byte[]?>(null, _rows.Count)];
        }

        _rows.Add(row);
        _values?.Add(value);
    }
}

/// <summary>Streaming mean and variance (Chan et al.), mergeable.</summary>
public struct Moments
{
    public long Count;
    public double Mean;
    public double M2;
    public double Min;
    public double Max;

    public void Add(double x)
    {
        if (Count == 0)
        {
            Min = Max = x;
        }
        else
        {
            Min = Math.Min(Min, x);
            Max = Math.Max(Max, x);
        }

        Count++;
        var delta = x - Mean;
        Mean += delta / Count;
        M2 += delta * (x - Mean);
    }

    public void Merge(Moments other)
    {
        if (other.Count == 0)
        {
            return;
        }

        if (Count == 0)
        {
            this = other;
            return;
        }

        var total = Count + other.Count;
        var delta = other.Mean - Mean;
        Mean += delta * other.Count / total;
        M2 += other.M2 + (delta * delta * Count * other.Count / total);
        Count = total;
        Min = Math.Min(Min, other.Min);
        Max = Math.Max(Max, other.Max);
    }

    public readonly double StdDev => Count > 1 ? Math.Sqrt(M2 / (Count - 1)) : 0;

    /// <summary>
    /// The moments of <paramref name="count"/> values from their extremes and the sums of their differences from
    /// <paramref name="shift"/> (a value among them, so that large values keep their variance's digits).
    /// </summary>
    public static Moments FromShiftedSums(long count, double shift, double sum, double squares, double min, double max) => new()
    {
        Count = count,
        Mean = shift + (sum / count),
        M2 = Math.Max(0, squares - (sum * sum / count)),
        Min = min,
        Max = max,
    };
}

/// <summary>
/// Moments of one chunk from sums taken around the chunk's first value, folded into <see cref="Moments"/> once per
/// chunk with Chan's merge. Welford's update divides per value, which showed up in profiles of wide numeric scans;
/// shifting by a value from the same chunk keeps the sum of squares well conditioned (the error grows with
/// (mean - shift)^2 / variance, not with mean^2 / variance). Written as loops over a chunk with the sums in locals:
/// as a struct updated per value, its six fields lived in memory and the IEEE min/max took two dozen instructions.
/// </summary>
public static class ChunkMoments
{
    /// <summary>The moments of the present values (<paramref name="valid"/> null: all), finite ones only.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static Moments Of<T>(ReadOnlySpan<T> values, bool[]? valid)
        where T : unmanaged, System.Numerics.INumber<T>
    {
        var i = 0;
        while (i < values.Length && !NumericChunk.Takes(values, valid, i))
        {
            i++;
        }

        if (i == values.Length)
        {
            return default;
        }

        var shift = double.CreateTruncating(values[i]);
        long count = 0;
        double sum = 0;
        double squares = 0;
        var min = values[i];
        var max = values[i];
        for (; i < values.Length; i++)
        {
            if (!NumericChunk.Takes(values, valid, i))
            {
                continue;
            }

            var x = values[i];
            var d = double.CreateTruncating(x) - shift;
            count++;
            sum += d;
            squares += d * d;

            // Extremes in the values' own type (integer compares for integers). New ones are rare after the first
            // few values, and zeros take Min/Max for the sign rule of floating-point zeros.
            if (x < min || x > max || T.IsZero(x))
            {
                min = T.Min(min, x);
                max = T.Max(max, x);
            }
        }

        return Moments.FromShiftedSums(count, shift, sum, squares, double.CreateTruncating(min), double.CreateTruncating(max));
    }
}

/// <summary>Which values of a numeric chunk the moments and the quantile sample take: present and finite.</summary>
public static class NumericChunk
{
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static bool Takes<T>(ReadOnlySpan<T> values, bool[]? valid, int i)
        where T : unmanaged, System.Numerics.INumberBase<T> =>
        (valid is null || valid[i]) && T.IsFinite(values[i]);
}

/// <summary>
/// <see cref="ChunkMoments"/> for value lengths, in integer arithmetic: exact, and a fraction of the per-value work
/// (text columns add one length per cell, and the floating-point min, max and shifted squares showed in profiles).
/// </summary>
public struct LengthMoments
{
    private long _count;
    private long _sum;
    private UInt128 _squares;
    private int _max;

    // Stored as int.MaxValue - min so that the zeroed struct needs no first-value branch.
    private int _minComplement;

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public void Add(int length)
    {
        _count++;
        _sum += length;
        _squares += (ulong)((long)length * length);
        _max = Math.Max(_max, length);
        _minComplement = Math.Max(_minComplement, int.MaxValue - length);
    }

    /// <summary>Adds another set of lengths (exactly: the sums are integers).</summary>
    public void Merge(in LengthMoments other)
    {
        _count += other._count;
        _sum += other._sum;
        _squares += other._squares;
        _max = Math.Max(_max, other._max);
        _minComplement = Math.Max(_minComplement, other._minComplement);
    }

    /// <summary>Adds <paramref name="copies"/> values of the same length.</summary>
    public void AddRepeated(int length, long copies)
    {
        _count += copies;
        _sum += length * copies;
        _squares += (UInt128)(ulong)((long)length * length) * (ulong)copies;
        _max = Math.Max(_max, length);
        _minComplement = Math.Max(_minComplement, int.MaxValue - length);
    }

    public readonly Moments ToMoments()
    {
        if (_count == 0)
        {
            return default;
        }

        // count * squares - sum^2 = count^2 * variance * (count - 1) / count, exactly (no cancellation).
        var sum = (UInt128)(ulong)_sum;
        var spread = (_squares * (ulong)_count) - (sum * sum);
        return new Moments
        {
            Count = _count,
            Mean = (double)_sum / _count,
            M2 = (double)spread / _count,
            Min = int.MaxValue - _minComplement,
            Max = _max,
        };
    }
}
