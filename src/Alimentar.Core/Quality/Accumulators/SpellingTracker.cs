using System.Text;

namespace Alimentar.Quality.Accumulators;

/// <summary>
/// Counts the raw spellings of a low-cardinality column so that values which collapse after case-folding
/// and trimming ("Positive" / "positive ") can be found. Stops tracking above <see cref="Limit"/> spellings.
/// </summary>
public sealed class SpellingTracker
{
    public const int Limit = 1000;

    // Up to SmallLimit spellings live in three small arrays searched with one vectorized IndexOf (a column of a
    // wide table is visited a few rows at a time, and a dictionary's buckets and entries were two cache misses a
    // cell, 6% of scoring 100,000 columns); more move to a dictionary.
    private const int SmallLimit = 16;

    private ulong[]? _keys = new ulong[4];
    private long[]? _counts = new long[4];
    private string[]? _values = new string[4];
    private int _small;
    private Dictionary<ulong, (string Value, long Count)>? _spellings;
    private bool _overflowed;

    public bool Overflowed => _overflowed;

    public IEnumerable<(string Value, long Count)> Spellings =>
        _overflowed ? [] : _spellings is not null ? _spellings.Values : Enumerable.Range(0, _small).Select(i => (_values![i], _counts![i]));

    private int Count => _spellings?.Count ?? _small;

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void Add(ulong hash, ReadOnlySpan<byte> value)
    {
        if (_overflowed)
        {
            return;
        }

        // One lookup for the common case (a spelling seen before): label columns repeat a handful of values.
        ref var count = ref CountOf(hash);
        if (!System.Runtime.CompilerServices.Unsafe.IsNullRef(ref count))
        {
            count++;
            return;
        }

        if (Count >= Limit)
        {
            Overflow();
            return;
        }

        Insert(hash, Text(hash, value), 1);
    }

    /// <summary>Counts <paramref name="count"/> more cells of a spelling already added.</summary>
    public void AddRepeats(ulong hash, long count)
    {
        if (_overflowed)
        {
            return;
        }

        ref var counted = ref CountOf(hash);
        if (!System.Runtime.CompilerServices.Unsafe.IsNullRef(ref counted))
        {
            counted += count;
        }
    }

    public void Merge(SpellingTracker other)
    {
        if (_overflowed)
        {
            return;
        }

        if (other._overflowed)
        {
            Overflow();
            return;
        }

        foreach (var (hash, (value, count)) in other.Entries())
        {
            ref var counted = ref CountOf(hash);
            if (System.Runtime.CompilerServices.Unsafe.IsNullRef(ref counted))
            {
                Insert(hash, value, count);
            }
            else
            {
                counted += count;
            }
        }

        if (Count > Limit)
        {
            Overflow();
        }
    }

    // The count of a spelling already held, or a null reference.
    private ref long CountOf(ulong hash)
    {
        if (_spellings is null)
        {
            var at = _keys.AsSpan(0, _small).IndexOf(hash);
            return ref at >= 0 ? ref _counts![at] : ref System.Runtime.CompilerServices.Unsafe.NullRef<long>();
        }

        ref var entry = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrNullRef(_spellings, hash);
        return ref System.Runtime.CompilerServices.Unsafe.IsNullRef(ref entry) ? ref System.Runtime.CompilerServices.Unsafe.NullRef<long>() : ref entry.Count;
    }

    // A spelling not held yet: into the small arrays while they have room, else the dictionary.
    private void Insert(ulong hash, string value, long count)
    {
        if (_spellings is null && _small < SmallLimit)
        {
            if (_small == _keys!.Length)
            {
                Array.Resize(ref _keys, _small * 2);
                Array.Resize(ref _counts, _small * 2);
                Array.Resize(ref _values, _small * 2);
            }

            _keys[_small] = hash;
            _counts![_small] = count;
            _values![_small++] = value;
            return;
        }

        if (_spellings is null)
        {
            ToDictionary();
        }

        _spellings![hash] = (value, count);
    }

    // Two spellings that fold to one category key.
    private bool AnyCategorySpelledTwice()
    {
        var seen = new HashSet<string>(Count, StringComparer.Ordinal);
        foreach (var (value, _) in Spellings)
        {
            if (!seen.Add(Semantics.TextNormalization.CategoryKey(value)))
            {
                return true;
            }
        }

        return false;
    }

    private IEnumerable<(ulong Hash, (string Value, long Count) Entry)> Entries() =>
        _spellings is not null
            ? _spellings.Select(e => (e.Key, e.Value))
            : Enumerable.Range(0, _small).Select(i => (_keys![i], (_values![i], _counts![i])));

    private void ToDictionary()
    {
        _spellings = new Dictionary<ulong, (string Value, long Count)>(SmallLimit * 2);
        for (var i = 0; i < _small; i++)
        {
            _spellings[_keys![i]] = (_values![i], _counts![i]);
        }

        _keys = null;
        _counts = null;
        _values = null;
        _small = 0;
    }

    private void Overflow()
    {
        _overflowed = true;
        _spellings = null;
        _keys = null;
        _counts = null;
        _values = null;
        _small = 0;
    }

    // Short spellings repeat across columns (a table of 100,000 one-hot or digit columns spells the same ten values
    // in each): one string per value instead of one per column and value, from a small cache a race only misses.
    private static readonly string?[] ShortSpellings = new string?[4096];

    private static string Text(ulong hash, ReadOnlySpan<byte> value)
    {
        if (value.Length > 16)
        {
            return Encoding.UTF8.GetString(value);
        }

        ref var slot = ref ShortSpellings[(int)(hash & 4095)];
        var cached = Volatile.Read(ref slot);
        if (cached is not null && SameAscii(cached, value))
        {
            return cached;
        }

        var text = Encoding.UTF8.GetString(value);
        Volatile.Write(ref slot, text);
        return text;
    }

    private static bool SameAscii(string text, ReadOnlySpan<byte> value)
    {
        if (text.Length != value.Length)
        {
            return false;
        }

        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] >= 0x80 || text[i] != value[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The <paramref name="limit"/> most common spellings, most cells first (ties in ordinal order); empty once overflowed.</summary>
    public IReadOnlyList<(string Value, long Count)> Top(int limit) =>
        _overflowed
            ? []
            : Spellings.OrderByDescending(s => s.Count).ThenBy(s => s.Value, StringComparer.Ordinal).Take(limit).ToList();

    /// <summary>Cells written in a minority spelling of a value that has a more common spelling.</summary>
    public (long Cells, List<string> Examples) MinoritySpellings()
    {
        if (_overflowed || Count < 2)
        {
            return (0, []);
        }

        // Most columns spell each category one way: said without grouping (a grouping per column was most of the
        // scoring after the scan of a table of 100,000 columns).
        if (!AnyCategorySpelledTwice())
        {
            return (0, []);
        }

        long cells = 0;
        var examples = new List<string>();
        foreach (var group in Spellings.GroupBy(s => Semantics.TextNormalization.CategoryKey(s.Value)).Where(g => g.Count() > 1))
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
