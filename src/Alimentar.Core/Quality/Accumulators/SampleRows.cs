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
/// Sums of one chunk taken around the chunk's first value, folded into <see cref="Moments"/> once per chunk with
/// Chan's merge. Welford's update divides per value, which showed up in profiles of wide numeric scans; shifting by
/// a value from the same chunk keeps the sum of squares well conditioned (the error grows with
/// (mean - shift)^2 / variance, not with mean^2 / variance).
/// </summary>
public struct ChunkMoments
{
    private long _count;
    private double _shift;
    private double _sum;
    private double _squares;
    private double _min;
    private double _max;

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public void Add(double x)
    {
        if (_count == 0)
        {
            _shift = _min = _max = x;
        }

        var d = x - _shift;
        _count++;
        _sum += d;
        _squares += d * d;
        _min = Math.Min(_min, x);
        _max = Math.Max(_max, x);
    }

    public readonly Moments ToMoments() => _count == 0
        ? default
        : new Moments
        {
            Count = _count,
            Mean = _shift + (_sum / _count),
            M2 = Math.Max(0, _squares - (_sum * _sum / _count)),
            Min = _min,
            Max = _max,
        };
}
