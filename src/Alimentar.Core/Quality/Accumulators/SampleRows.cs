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
