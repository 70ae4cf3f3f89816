namespace Alimentar.Quality.Accumulators;

/// <summary>
/// Distinct count: exact up to <see cref="ExactLimit"/> values, then a HyperLogLog (p = 14, about 0.8 %
/// standard error). Mergeable: exact sets union, registers take the maximum.
/// </summary>
public sealed class DistinctCounter
{
    public const int ExactLimit = 100_000;
    private const int Precision = 14;
    private const int RegisterCount = 1 << Precision;

    private HashSet<ulong>? _exact = [];
    private byte[]? _registers;

    public bool IsExact => _exact is not null;

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void Add(ulong hash)
    {
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

    public void Merge(DistinctCounter other)
    {
        if (_exact is not null && other._exact is not null)
        {
            _exact.UnionWith(other._exact);
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
            foreach (var h in other._exact)
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
        if (_exact is not null)
        {
            return _exact.Count;
        }

        double sum = 0;
        var zeros = 0;
        foreach (var r in _registers!)
        {
            sum += Math.Pow(2, -r);
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

    private void SwitchToSketch()
    {
        _registers = new byte[RegisterCount];
        foreach (var h in _exact!)
        {
            AddToRegisters(_registers, h);
        }

        _exact = null;
    }

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
