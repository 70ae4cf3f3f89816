namespace Alimentar.Quality.Accumulators;

/// <summary>
/// Quantiles from a bounded sample: exact (every value kept) up to <see cref="Capacity"/> values, then a
/// seeded reservoir sample, so results are deterministic for a given input and part order. Mergeable.
/// </summary>
public sealed class QuantileSketch
{
    public const int Capacity = 32_768;

    private readonly List<double> _sample = [];
    private ulong _state = 0x9E3779B97F4A7C15UL;

    // Algorithm L: once the reservoir is full, jump straight to the next value that replaces one, instead of
    // drawing a random number for every value.
    private double _w;
    private long _next = -1;

    public long Count { get; private set; }

    public bool IsExact => Count == _sample.Count;

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void Add(double value)
    {
        Count++;
        if (_sample.Count < Capacity)
        {
            _sample.Add(value);
            return;
        }

        if (_next < 0)
        {
            _w = Math.Exp(Math.Log(NextUnit()) / Capacity);
            _next = Count + Skip();
        }

        if (Count == _next)
        {
            _sample[(int)(NextRandom() % Capacity)] = value;
            _w *= Math.Exp(Math.Log(NextUnit()) / Capacity);
            _next = Count + Skip() + 1;
        }
    }

    private long Skip() => (long)Math.Floor(Math.Log(NextUnit()) / Math.Log(1 - _w));

    private double NextUnit() => ((NextRandom() >> 11) + 0.5) / (1UL << 53);

    public void Merge(QuantileSketch other)
    {
        _next = -1; // the skip schedule belongs to the stream before the merge
        if (Count + other.Count <= Capacity)
        {
            _sample.AddRange(other._sample);
            Count += other.Count;
            return;
        }

        // Weighted merge: keep each side's share of the capacity in proportion to the values it stands for.
        var total = Count + other.Count;
        var fromThis = (int)Math.Round((double)Capacity * Count / total);
        var fromOther = Capacity - fromThis;
        var merged = new List<double>(Capacity);
        merged.AddRange(Subsample(_sample, fromThis));
        merged.AddRange(Subsample(other._sample, fromOther));
        _sample.Clear();
        _sample.AddRange(merged);
        Count = total;
    }

    /// <summary>Quantile q in [0, 1] with linear interpolation, or NaN when empty.</summary>
    public (double Q1, double Q3) Quartiles()
    {
        if (_sample.Count == 0)
        {
            return (double.NaN, double.NaN);
        }

        var sorted = _sample.ToArray();
        Array.Sort(sorted);
        return (At(sorted, 0.25), At(sorted, 0.75));
    }

    /// <summary>Estimated number of values outside [low, high]; exact while the sketch holds every value.</summary>
    public long CountOutside(double low, double high)
    {
        if (_sample.Count == 0)
        {
            return 0;
        }

        var outside = _sample.Count(v => v < low || v > high);
        return IsExact ? outside : (long)Math.Round((double)outside * Count / _sample.Count);
    }

    private static double At(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + ((sorted[upper] - sorted[lower]) * (position - lower));
    }

    private IEnumerable<double> Subsample(List<double> source, int count)
    {
        if (count >= source.Count)
        {
            return source;
        }

        var copy = source.ToArray();
        for (var i = 0; i < count; i++)
        {
            var j = i + (int)(NextRandom() % (ulong)(copy.Length - i));
            (copy[i], copy[j]) = (copy[j], copy[i]);
        }

        return copy.Take(count);
    }

    private ulong NextRandom()
    {
        _state ^= _state << 13;
        _state ^= _state >> 7;
        _state ^= _state << 17;
        return _state;
    }
}
