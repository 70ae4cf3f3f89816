namespace Alimentar.Quality.Accumulators;

/// <summary>Up to <see cref="Limit"/> row indices that show a problem, earliest first.</summary>
public sealed class SampleRows
{
    public const int Limit = 5;

    private readonly List<long> _rows = [];

    public IReadOnlyList<long> Rows => _rows;

    public void Add(long row)
    {
        if (_rows.Count < Limit)
        {
            _rows.Add(row);
        }
    }

    /// <summary>Appends another part's samples, whose indices are local to it, shifted by <paramref name="offset"/>.</summary>
    public void Merge(SampleRows other, long offset)
    {
        foreach (var row in other._rows)
        {
            Add(row + offset);
        }
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
    /// <summary>The moments of the present values (<paramref name="valid"/> null means all are present).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static Moments OfIntegers(ReadOnlySpan<long> values, bool[]? valid)
    {
        var i = 0;
        while (i < values.Length && valid is not null && !valid[i])
        {
            i++;
        }

        if (i == values.Length)
        {
            return default;
        }

        var shift = (double)values[i];
        long count = 0;
        double sum = 0;
        double squares = 0;
        var min = values[i];
        var max = values[i];
        for (; i < values.Length; i++)
        {
            if (valid is not null && !valid[i])
            {
                continue;
            }

            var v = values[i];
            var d = v - shift;
            count++;
            sum += d;
            squares += d * d;
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        return Build(count, shift, sum, squares, min, max);
    }

    /// <summary>The moments of the present, finite values (NaN and infinities are counted elsewhere).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static Moments OfFinite(ReadOnlySpan<double> values, bool[]? valid)
    {
        var i = 0;
        while (i < values.Length && ((valid is not null && !valid[i]) || !double.IsFinite(values[i])))
        {
            i++;
        }

        if (i == values.Length)
        {
            return default;
        }

        var shift = values[i];
        long count = 0;
        double sum = 0;
        double squares = 0;
        var min = values[i];
        var max = values[i];
        for (; i < values.Length; i++)
        {
            var v = values[i];
            if ((valid is not null && !valid[i]) || !double.IsFinite(v))
            {
                continue;
            }

            var d = v - shift;
            count++;
            sum += d;
            squares += d * d;

            // New extremes are rare after the first few values; zeros take Math.Min/Max for their sign rule.
            if (v < min || v > max || v == 0)
            {
                min = Math.Min(min, v);
                max = Math.Max(max, v);
            }
        }

        return Build(count, shift, sum, squares, min, max);
    }

    private static Moments Build(long count, double shift, double sum, double squares, double min, double max) => new()
    {
        Count = count,
        Mean = shift + (sum / count),
        M2 = Math.Max(0, squares - (sum * sum / count)),
        Min = min,
        Max = max,
    };
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
