using System.Text;

namespace Alimentar.Quality.Accumulators;

/// <summary>
/// Counts the raw spellings of a low-cardinality column so that values which collapse after case-folding
/// and trimming ("Positive" / "positive ") can be found. Stops tracking above <see cref="Limit"/> spellings.
/// </summary>
public sealed class SpellingTracker
{
    public const int Limit = 1000;

    private Dictionary<ulong, (string Value, long Count)>? _spellings = [];

    public bool Overflowed => _spellings is null;

    public IEnumerable<(string Value, long Count)> Spellings => _spellings?.Values ?? Enumerable.Empty<(string, long)>();

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void Add(ulong hash, ReadOnlySpan<byte> value)
    {
        if (_spellings is null)
        {
            return;
        }

        // One lookup for the common case (a spelling seen before): label columns repeat a handful of values.
        ref var entry = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrNullRef(_spellings, hash);
        if (!System.Runtime.CompilerServices.Unsafe.IsNullRef(ref entry))
        {
            entry.Count++;
            return;
        }

        if (_spellings.Count >= Limit)
        {
            _spellings = null;
            return;
        }

        _spellings[hash] = (Encoding.UTF8.GetString(value), 1);
    }

    /// <summary>Counts <paramref name="count"/> more cells of a spelling already added.</summary>
    public void AddRepeats(ulong hash, long count)
    {
        if (_spellings is null)
        {
            return;
        }

        ref var entry = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrNullRef(_spellings, hash);
        if (!System.Runtime.CompilerServices.Unsafe.IsNullRef(ref entry))
        {
            entry.Count += count;
        }
    }

    public void Merge(SpellingTracker other)
    {
        if (_spellings is null)
        {
            return;
        }

        if (other._spellings is null)
        {
            _spellings = null;
            return;
        }

        foreach (var (hash, entry) in other._spellings)
        {
            _spellings[hash] = _spellings.TryGetValue(hash, out var mine) ? (mine.Value, mine.Count + entry.Count) : entry;
        }

        if (_spellings.Count > Limit)
        {
            _spellings = null;
        }
    }

    /// <summary>The <paramref name="limit"/> most common spellings, most cells first (ties in ordinal order); empty once overflowed.</summary>
    public IReadOnlyList<(string Value, long Count)> Top(int limit) =>
        _spellings is null
            ? []
            : _spellings.Values.OrderByDescending(s => s.Count).ThenBy(s => s.Value, StringComparer.Ordinal).Take(limit).ToList();

    /// <summary>Cells written in a minority spelling of a value that has a more common spelling.</summary>
    public (long Cells, List<string> Examples) MinoritySpellings()
    {
        if (_spellings is null || _spellings.Count < 2)
        {
            return (0, []);
        }

        long cells = 0;
        var examples = new List<string>();
        foreach (var group in _spellings.Values.GroupBy(s => Semantics.TextNormalization.CategoryKey(s.Value)).Where(g => g.Count() > 1))
        {
            var ordered = group.OrderByDescending(s => s.Count).ThenBy(s => s.Value, StringComparer.Ordinal).ToList();
            foreach (var minority in ordered.Skip(1))
            {
                cells += minority.Count;
                if (examples.Count < 5)
                {
                    examples.Add($"'{minority.Value}' vs '{ordered[0].Value}'");
                }
            }
        }

        return (cells, examples);
    }
}
