using Alimentar.Semantics;
using System.Buffers;
using System.Text;
using Alimentar.Data;
using Alimentar.Hashing;

namespace Alimentar.Quality.Accumulators;

/// <summary>The outcome of scanning one column of one part.</summary>
public sealed class ColumnScan
{
    public required ColumnStats Stats { get; init; }

    /// <summary>Rows scanned; the arrays below may be longer.</summary>
    public required int Rows { get; init; }

    /// <summary>Type-tagged 128-bit hash of every cell (nulls included); kept only for columns scanned with keepRows.</summary>
    public UInt128[]? CellHashes { get; init; }

    /// <summary>Hashes after text normalization; null when identical to <see cref="CellHashes"/> or not kept.</summary>
    public UInt128[]? NormalizedHashes { get; init; }

    /// <summary>Missing cells under the quality model's definition; kept only for columns scanned with keepRows.</summary>
    public bool[]? Missing { get; init; }

    /// <summary>The whole column, kept only when a later step needs the values (near-duplicate text).</summary>
    public ColumnBatch? Batch { get; init; }

    /// <summary>False when <see cref="Stats"/> are the dataset's own (an in-place scan): nothing to merge or release.</summary>
    public bool OwnsStats { get; init; } = true;

    /// <summary>Gives the pooled arrays back; the scan must not be used afterwards.</summary>
    public void Return()
    {
        if (OwnsStats)
        {
            Stats.Distinct.Release();
            Stats.Sketch.Release();
        }

        if (CellHashes is not null)
        {
            ArrayPool<UInt128>.Shared.Return(CellHashes);
        }

        if (Missing is not null)
        {
            ArrayPool<bool>.Shared.Return(Missing);
        }

        if (NormalizedHashes is not null)
        {
            ArrayPool<UInt128>.Shared.Return(NormalizedHashes);
        }
    }
}

/// <summary>How a column's cells take part in row identities.</summary>
/// <param name="Fold">The part's row fold, or null when the column is not part of the row hash.</param>
/// <param name="Weight">The column's weight in the row hash (<see cref="RowHash.Weights"/>).</param>
/// <param name="Required">A missing cell makes the row incomplete.</param>
/// <param name="KeepRows">Keep per-row cell hashes and missing flags (key columns, degenerate pairs).</param>
public readonly record struct RowRole(PartRowFold? Fold, UInt128 Weight, bool Required, bool KeepRows);

/// <summary>
/// Scans one column of one part chunk by chunk, so decoders can hand over small reused buffers instead of
/// materialising the whole column. Each chunk's cell hashes go straight into the part's <see cref="PartRowFold"/>.
/// </summary>
public sealed class ColumnScanner
{
    private const int FactsMemoLimit = 256;

    private readonly ColumnPlan _plan;
    private readonly ColumnStats _stats;
    private readonly DistinctCounter? _datasetDistinct;
    private readonly int _maxNullToken;
    private readonly bool _isCode;
    private readonly bool _hasFormatRules;
    private readonly bool _inPlace;
    private RowRole _role;
    private int _capacityHint;

    // In place: rows of the parts scanned before this one, so that sample rows are the dataset's.
    private long _rowBase;
    private ColumnScan? _plainScan;
    private Dictionary<UInt128, TextFacts>? _facts = [];
    private int _factsMisses;

    // In place (wide tables), the memo is the thread's, shared by every column that reads values the same way
    // (same null tokens, code or not, whitespace checked or not, no format rules): 100,000 columns of the same ten
    // values then remember ten answers, not a million (a memo of its own was 1.7 KB a column).
    [ThreadStatic]
    private static Dictionary<(Semantics.NullTokenSet, bool, bool), SharedFacts>? t_sharedFacts;
    private bool _sharedFacts;
    private SharedFacts? _sharedMemo;
    private TextFacts _computedFacts;
    private RepeatCache? _repeats;
    private bool _repeatsStopped;

    // Lengths of the text cells ScanTextCell takes, merged into the chunk's at its end.
    private LengthMoments _cellLengths;

    // Numbers read from the text cells ScanTextCell takes, merged into the column's moments at the chunk's end:
    // a running mean costs a division a cell (5% of scoring a table of 100,000 numeric text columns).
    private NumberSums _cellNumbers;

    // Chunk-sized and pooled: they stay in cache between the scan and the fold, and on this kind of machine
    // first-touch page faults of fresh arrays cost more than the scan itself.
    private UInt128[] _chunkHashes;
    private bool[] _chunkMissing;
    private UInt128[]? _chunkNormalized;
    private bool _chunkHasNormalized;
    private bool[]? _chunkCounted;
    private bool _chunkHasCounted;

    // Whole-part arrays, only with RowRole.KeepRows.
    private UInt128[]? _hashes;
    private bool[]? _missing;
    private UInt128[]? _normalized;
    private int _rows;

    /// <param name="stream">The part's number in the dataset: parts draw independent quantile samples.</param>
    public ColumnScanner(ColumnPlan plan, int capacityHint, RowRole role = default, ColumnStats? dataset = null, long stream = 0)
        : this(plan, new ColumnStats(), inPlace: false)
    {
        _capacityHint = capacityHint;
        _stats.Sketch.StartStream(stream, dataset?.Sketch, capacityHint);
        _datasetDistinct = dataset?.Distinct;

        // Parts of one column tend to hold as many distinct values as the parts merged so far: growing a set of
        // 100k values from 256 slots costs ten rounds of renting, clearing and rehashing.
        if (_datasetDistinct is { WillBeApproximate: false, ExactCountHint: > 1024 and var expected } && plan.Info.Kind is not (ColumnKind.Integer or ColumnKind.Temporal))
        {
            _stats.Distinct.Reserve(expected);
        }

        _role = role;
        var chunk = Math.Clamp(capacityHint, 16, 1 << 16);
        _chunkHashes = ArrayPool<UInt128>.Shared.Rent(chunk);
        _chunkMissing = ArrayPool<bool>.Shared.Rent(chunk);
        RentRowArrays();
    }

    private ColumnScanner(ColumnPlan plan, ColumnStats stats, bool inPlace)
    {
        _plan = plan;
        _stats = stats;
        _inPlace = inPlace;

        // An empty value is always missing, whatever the tokens.
        _maxNullToken = plan.NullTokens.MaxAsciiBytes;
        _isCode = plan.IsCode;
        _hasFormatRules = plan.HasFormatRules;
        _sharedFacts = inPlace && !_hasFormatRules;
        if (_sharedFacts)
        {
            _facts = null;
        }

        _chunkHashes = [];
        _chunkMissing = [];
    }

    /// <summary>
    /// A scanner that adds a column's parts, one after the other and in row order, straight into the dataset's
    /// statistics (<see cref="BeginPart"/> before each part, <see cref="Build"/> after it). For wide tables: statistics
    /// of every column for every part, made and merged, cost more than scanning the part's few rows.
    /// </summary>
    public static ColumnScanner InPlace(ColumnPlan plan, ColumnStats dataset)
    {
        var scanner = new ColumnScanner(plan, dataset, inPlace: true);
        dataset.Sketch.StartStream(0);
        return scanner;
    }

    /// <summary>Starts the next part of an in-place scanner.</summary>
    public void BeginPart(RowRole role, int capacityHint)
    {
        if (!_inPlace || _rows != 0)
        {
            throw new InvalidOperationException("only an in-place scanner, between parts, begins a part");
        }

        _role = role;
        _capacityHint = capacityHint;
        RentRowArrays();
    }

    // Whole-part hashes and missing flags, for columns whose rows are kept (keys, degenerate pairs).
    private void RentRowArrays()
    {
        if (_role.KeepRows)
        {
            _hashes = ArrayPool<UInt128>.Shared.Rent(Math.Max(_capacityHint, 16));
            _missing = ArrayPool<bool>.Shared.Rent(Math.Max(_capacityHint, 16));
        }
    }

    public static ColumnScan Scan(ColumnBatch batch, ColumnPlan plan, bool keepBatch, RowRole role = default, ColumnStats? dataset = null, long stream = 0)
    {
        var scanner = new ColumnScanner(plan, batch.Length, role, dataset, stream);
        scanner.Add(batch);
        return scanner.Build(keepBatch ? batch : null);
    }

    public ColumnScan Build(ColumnBatch? keep = null)
    {
        ReturnChunkArrays();
        if (_inPlace)
        {
            _stats.Rows += _rows;
            if (_hashes is null && _missing is null && _normalized is null && keep is null)
            {
                // Nothing of the part's own to hand over: one scan object serves every part of the same length (a
                // new one per column per part was 1.2 million objects for a table of 100,000 columns).
                if (_plainScan is not { } plain || plain.Rows != _rows)
                {
                    _plainScan = plain = new ColumnScan { Stats = _stats, OwnsStats = false, Rows = _rows };
                }

                _rowBase += _rows;
                _rows = 0;
                return plain;
            }

            var part = new ColumnScan { Stats = _stats, OwnsStats = false, Rows = _rows, CellHashes = _hashes, NormalizedHashes = _normalized, Missing = _missing, Batch = keep };
            _rowBase += _rows;
            _rows = 0;
            _hashes = null;
            _missing = null;
            _normalized = null;
            return part;
        }

        _stats.Rows = _rows;
        return new ColumnScan { Stats = _stats, Rows = _rows, CellHashes = _hashes, NormalizedHashes = _normalized, Missing = _missing, Batch = keep };
    }

    private void ReturnChunkArrays()
    {
        if (_chunkHashes.Length > 0)
        {
            ArrayPool<UInt128>.Shared.Return(_chunkHashes);
            ArrayPool<bool>.Shared.Return(_chunkMissing);
        }

        if (_chunkNormalized is not null)
        {
            ArrayPool<UInt128>.Shared.Return(_chunkNormalized);
        }

        if (_chunkCounted is not null)
        {
            ArrayPool<bool>.Shared.Return(_chunkCounted);
            _chunkCounted = null;
        }

        _chunkHashes = [];
        _chunkMissing = [];
        _chunkNormalized = null;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void Add(ColumnBatch batch)
    {
        var n = batch.Length;
        if (_chunkHashes.Length < n)
        {
            if (_chunkHashes.Length > 0)
            {
                ArrayPool<UInt128>.Shared.Return(_chunkHashes);
                ArrayPool<bool>.Shared.Return(_chunkMissing);
            }

            _chunkHashes = ArrayPool<UInt128>.Shared.Rent(n);
            _chunkMissing = ArrayPool<bool>.Shared.Rent(n);
        }

        if (_datasetDistinct is { IsExact: false } or { WillBeApproximate: true })
        {
            _stats.Distinct.AbandonExact();
        }

        _stats.Sketch.CatchUp();

        var start = _rows;
        var hashes = _chunkHashes.AsSpan(0, n);
        var missing = _chunkMissing.AsSpan(0, n);
        missing.Clear();
        _chunkHasNormalized = false;
        _chunkHasCounted = false;
        ScanInto(batch, _rowBase + start, hashes, missing);

        // Cells whose value an earlier cell of the chunk already added (see MarkCounted) are skipped like missing ones.
        var absent = (ReadOnlySpan<bool>)missing;
        if (_chunkHasCounted)
        {
            var skip = _chunkCounted.AsSpan(0, n);
            for (var i = 0; i < n; i++)
            {
                skip[i] |= missing[i];
            }

            absent = skip;
        }

        // Every present cell counts towards the distinct values, in one pass per chunk so the set can prefetch;
        // integers by value while they fit a window (parts of a few rows keep to the hash set).
        if (batch is Int64ColumnBatch { Temporal: null } integers)
        {
            _stats.Distinct.AddIntegers(integers.Values.AsSpan(0, n), integers.Valid, hashes, absent, useWindow: _capacityHint >= 16384);
        }
        else
        {
            _stats.Distinct.AddPresent(hashes, absent);
        }

        if (start == 0 && n >= 1024 && _stats.Distinct.ExactCountHint * 2 > n)
        {
            // Mostly distinct from the first chunk on (ids, free text, measurements): size the set for the part's
            // rows, up to the exact limit, now, instead of doubling it ten times (renting, clearing and rehashing
            // each time) on the way there. Sizing only; the counts are the same.
            _stats.Distinct.Reserve(Math.Max(n, _capacityHint));
        }

        if (_datasetDistinct is { WillBeApproximate: false } && !_stats.Distinct.IsExact)
        {
            _datasetDistinct.WillBeApproximate = true;
        }

        var normalized = _chunkHasNormalized ? _chunkNormalized.AsSpan(0, n) : default;
        if (_role.KeepRows)
        {
            Keep(start, hashes, missing, normalized);
        }

        if (_role.Fold is { } fold)
        {
            var weight = _role.Weight;
            if (_chunkHasNormalized)
            {
                for (var i = 0; i < n; i++)
                {
                    normalized[i] = (normalized[i] - hashes[i]) * weight;
                }
            }

            for (var i = 0; i < n; i++)
            {
                hashes[i] *= weight;
            }

            fold.Add(start, hashes, normalized, missing, _role.Required);
        }

        _rows = start + n;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private void MarkCounted(int i, int n)
    {
        if (!_chunkHasCounted)
        {
            if (_chunkCounted is null || _chunkCounted.Length < n)
            {
                if (_chunkCounted is not null)
                {
                    ArrayPool<bool>.Shared.Return(_chunkCounted);
                }

                _chunkCounted = ArrayPool<bool>.Shared.Rent(n);
            }

            Array.Clear(_chunkCounted, 0, n);
            _chunkHasCounted = true;
        }

        _chunkCounted![i] = true;
    }

    private void Keep(int start, Span<UInt128> hashes, Span<bool> missing, Span<UInt128> normalized)
    {
        var needed = start + hashes.Length;
        if (_hashes!.Length < needed)
        {
            var size = Math.Max(needed, _hashes.Length * 2);
            Regrow(ref _hashes, size);
            Regrow(ref _missing!, size);
            if (_normalized is not null)
            {
                Regrow(ref _normalized, size);
            }
        }

        hashes.CopyTo(_hashes.AsSpan(start));
        missing.CopyTo(_missing.AsSpan(start));
        if (!normalized.IsEmpty && _normalized is null)
        {
            // Until now every normalized hash equalled the raw one.
            _normalized = ArrayPool<UInt128>.Shared.Rent(_hashes.Length);
            _hashes.AsSpan(0, start).CopyTo(_normalized);
        }

        if (_normalized is not null)
        {
            (normalized.IsEmpty ? hashes : normalized).CopyTo(_normalized.AsSpan(start));
        }
    }

    private void Regrow<T>(ref T[] array, int size)
    {
        var bigger = ArrayPool<T>.Shared.Rent(size);
        array.AsSpan(0, _rows).CopyTo(bigger);
        ArrayPool<T>.Shared.Return(array);
        array = bigger;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void ScanInto(ColumnBatch batch, long offset, Span<UInt128> hashes, Span<bool> missing)
    {
        var n = batch.Length;
        var stats = _stats;
        switch (batch)
        {
            case Int64ColumnBatch b:
                {
                    // Three tight passes (hashes, moments, quantile sample) instead of one loop doing all three: the
                    // single loop kept too much state live, and every accumulator went through memory on each value.
                    var values = b.Values;
                    var valid = b.Valid;
                    var label = _plan.IsLabel;
                    var temporal = b.Temporal;
                    for (var i = 0; i < n; i++)
                    {
                        if (valid is not null && !valid[i])
                        {
                            MarkNull(stats, hashes, missing, i, offset);
                            continue;
                        }

                        // Dates and times are identified by what they denote, so the same instant in another unit
                        // (or read from text) is the same cell.
                        var h = temporal is { } unit ? CellIdentity.Temporal(unit.Kind, values[i], unit.NanosPerUnit) : CellHash.Integer(values[i]);
                        hashes[i] = h;
                        if (label)
                        {
                            stats.Spellings.Add((ulong)h, Encoding.UTF8.GetBytes(values[i].ToString(System.Globalization.CultureInfo.InvariantCulture)));
                        }
                    }

                    stats.Numeric.Merge(ChunkMoments.Of<long>(values.AsSpan(0, n), valid));
                    stats.Sketch.AddChunk<long>(values.AsSpan(0, n), valid);
                    break;
                }

            case DoubleColumnBatch b:
                {
                    var values = b.Values;
                    var valid = b.Valid;
                    var exact = b.ExactHashes;
                    for (var i = 0; i < n; i++)
                    {
                        if (valid is not null && !valid[i])
                        {
                            MarkNull(stats, hashes, missing, i, offset);
                            continue;
                        }

                        var v = values[i];
                        hashes[i] = exact is not null ? exact[i] : CellIdentity.Number(v);
                        if (!double.IsFinite(v))
                        {
                            if (double.IsNaN(v))
                            {
                                stats.NaNs++;
                                stats.Missing++;
                                missing[i] = true;
                                stats.MissingSamples.Add(offset + i);
                            }
                            else
                            {
                                stats.Infinities++;
                                stats.InfinitySamples.Add(offset + i);
                            }
                        }
                    }

                    // Moments and the quantile sample take the present, finite values, in row order.
                    stats.Numeric.Merge(ChunkMoments.Of<double>(values.AsSpan(0, n), valid));
                    stats.Sketch.AddChunk<double>(values.AsSpan(0, n), valid);
                    break;
                }

            case BooleanColumnBatch b:
                for (var i = 0; i < n; i++)
                {
                    if (b.IsNull(i))
                    {
                        MarkNull(stats, hashes, missing, i, offset);
                        continue;
                    }

                    var h = CellHash.Boolean(b.Values[i]);
                    hashes[i] = h;
                    if (b.Values[i])
                    {
                        stats.TrueCount++;
                    }
                }

                break;
            case BytesColumnBatch b when b.IsText:
                ScanText(b, hashes, missing, offset);
                break;
            case BytesColumnBatch b:
                for (var i = 0; i < n; i++)
                {
                    if (b.IsNull(i))
                    {
                        MarkNull(stats, hashes, missing, i, offset);
                        continue;
                    }

                    var h = CellHash.Binary(b.Value(i));
                    hashes[i] = h;
                    stats.Lengths.Add(b.Value(i).Length);
                }

                break;
            case HashedColumnBatch b:
                for (var i = 0; i < n; i++)
                {
                    if (b.IsNull(i))
                    {
                        MarkNull(stats, hashes, missing, i, offset);
                        continue;
                    }

                    hashes[i] = b.Hashes[i];
                }

                break;
            default:
                for (var i = 0; i < n; i++)
                {
                    MarkNull(stats, hashes, missing, i, offset);
                }

                break;
        }

    }

    private static void MarkNull(ColumnStats stats, Span<UInt128> hashes, Span<bool> missing, int i, long offset)
    {
        hashes[i] = CellHash.Null;
        missing[i] = true;
        stats.Nulls++;
        stats.Missing++;
        stats.MissingSamples.Add(offset + i);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void ScanText(BytesColumnBatch b, Span<UInt128> hashes, Span<bool> missing, long offset)
    {
        // The loop handles the cells that only add to counts (nearly all of them) with little state, so the JIT
        // keeps it in registers; any other cell goes through ScanTextCell. One loop doing both spilled its state
        // to the stack and took about two hundred instructions a cell besides hashing and inspecting.
        var stats = _stats;
        var n = b.Length;
        var lengths = default(LengthMoments);
        if (_sharedFacts)
        {
            TakeSharedFacts();
        }

        // Only decoders' buffers repeat addresses. Made on the first such batch: over a handful of rows the cache saves
        // nothing, and a part of a table of 100,000 columns would allocate 6 KB for each.
        if (b.IsNative && _repeats is null && !_repeatsStopped && _capacityHint >= RepeatCache.Slots)
        {
            _repeats = new RepeatCache();
        }

        var repeats = b.IsNative ? _repeats : null;
        var jsonKinds = b.JsonKinds;
        var classCounts = stats.ClassCounts;
        var dateFormats = stats.DateFormats;
        var spellings = stats.Spellings.Overflowed ? null : stats.Spellings;
        long textCells = 0;
        repeats?.Reset();
        for (var i = 0; i < n; i++)
        {
            if (b.IsNull(i))
            {
                MarkNull(stats, hashes, missing, i, offset);
                continue;
            }

            var raw = b.Value(i);
            UInt128 h;
            var slot = -1;
            if (repeats is not null && repeats.Find(b.Address(i), raw.Length, out slot))
            {
                h = repeats.Hash[slot];
                hashes[i] = repeats.Facts[slot].Identity;
                if (repeats.Quick[slot])
                {
                    // A value seen before in this batch that adds nothing but counts: the counts are applied
                    // when the cache lets go of it, and its first copy in the batch stands for it in the distinct
                    // values.
                    repeats.QuickCount[slot]++;
                    MarkCounted(i, n);
                    if (_chunkHasNormalized)
                    {
                        _chunkNormalized![i] = hashes[i];
                    }

                    continue;
                }

                ScanTextCell(b, i, raw, h, repeats, slot, repeats.Facts[slot], hashes, missing, offset);
                continue;
            }

            h = CellHash.Text(raw);
            if (repeats is not null)
            {
                FlushQuick(repeats, slot, ref lengths, ref textCells);
                repeats.Store(slot, b.Address(i), raw.Length, h, FactsOf(raw, h), stats.Spellings);
                hashes[i] = repeats.Facts[slot].Identity;
                ScanTextCell(b, i, raw, h, repeats, slot, repeats.Facts[slot], hashes, missing, offset);
                continue;
            }

            ref readonly var facts = ref FactsOf(raw, h);
            hashes[i] = facts.Identity;
            if (!facts.CountOnly || jsonKinds is not null)
            {
                ScanTextCell(b, i, raw, h, null, -1, facts, hashes, missing, offset);
                continue;
            }

            textCells++;
            lengths.Add(raw.Length);

            // A class's samples are its first cells in the part, so a count past the limit means they are taken.
            var valueClass = (int)facts.Class;
            if (++classCounts[valueClass] <= SampleRows.Limit)
            {
                stats.ClassSample(valueClass).Add(offset + i, raw);
            }

            dateFormats[facts.DateFormat]++;
            if (spellings is not null)
            {
                spellings.Add((ulong)h, raw);
                if (spellings.Overflowed)
                {
                    spellings = null;
                }
            }

            if (_chunkHasNormalized)
            {
                _chunkNormalized![i] = facts.Identity;
            }
        }

        if (repeats is not null)
        {
            for (var slot = 0; slot < RepeatCache.Slots; slot++)
            {
                FlushQuick(repeats, slot, ref lengths, ref textCells);
            }
        }

        lengths.Merge(_cellLengths);
        _cellLengths = default;
        stats.Numeric.Merge(_cellNumbers.ToMoments());
        _cellNumbers = default;
        stats.TextCells += textCells;
        stats.Lengths.Merge(lengths.ToMoments());
        if (repeats is not null && !repeats.Finish(stats.Spellings, n))
        {
            _repeats = null;
            _repeatsStopped = true;
        }

        if (_chunkHasNormalized)
        {
            for (var i = 0; i < n; i++)
            {
                if (b.IsNull(i) || missing[i])
                {
                    _chunkNormalized![i] = hashes[i];
                }
            }
        }
    }

    /// <summary>
    /// Everything a present text cell can add: missing tokens, JSON kinds, numbers, encoding, whitespace and
    /// pattern problems with their sample rows, normalized hashes, and the repeat cache's bookkeeping.
    /// </summary>
    private void ScanTextCell(BytesColumnBatch b, int i, ReadOnlySpan<byte> raw, UInt128 h, RepeatCache? repeats, int slot, in TextFacts facts, Span<UInt128> hashes, Span<bool> missing, long offset)
    {
        var stats = _stats;
        hashes[i] = facts.Identity;
        if (facts.Missing)
        {
            stats.Missing++;
            missing[i] = true;
            stats.MissingSamples.Add(offset + i);
            return;
        }

        stats.TextCells++;
        _cellLengths.Add(raw.Length);
        if (slot >= 0 && repeats!.Seen[slot])
        {
            // Counted into the spelling tracker when the cache lets go of the value.
            repeats.Pending[slot]++;
        }
        else
        {
            stats.Spellings.Add((ulong)h, raw);
            if (slot >= 0)
            {
                repeats!.Seen[slot] = true;
            }
        }

        var jsonKinds = b.JsonKinds;
        var kind = jsonKinds is null ? JsonValueKind2.String : jsonKinds[i];
        if (jsonKinds is not null)
        {
            stats.JsonKindCounts[(int)kind]++;
            stats.JsonKindSample((int)kind).Add(offset + i, raw);
        }

        // A number written beyond the double range (1e400) reads as an infinity: a defect to report, not a statistic.
        if (facts.IsNumber && !double.IsFinite(facts.Number) && (kind == JsonValueKind2.Number || facts.Class is ValueClass.Integer or ValueClass.Decimal))
        {
            stats.Infinities++;
            stats.InfinitySamples.Add(offset + i, raw);
        }
        else if (kind == JsonValueKind2.Number && facts.IsNumber)
        {
            _cellNumbers.Add(facts.Number);
            stats.Sketch.Add(facts.Number);
        }

        if (kind == JsonValueKind2.String)
        {
            var valueClass = (int)facts.Class;
            if (++stats.ClassCounts[valueClass] <= SampleRows.Limit)
            {
                stats.ClassSample(valueClass).Add(offset + i, raw);
            }

            stats.DateFormats[facts.DateFormat]++;
            if (facts.Class is ValueClass.Integer or ValueClass.Decimal && facts.IsNumber && double.IsFinite(facts.Number))
            {
                _cellNumbers.Add(facts.Number);
                stats.Sketch.Add(facts.Number);
            }
        }

        if (kind == JsonValueKind2.String || jsonKinds is null)
        {
            var shape = facts.Shape;
            if (shape.EncodingProblem)
            {
                stats.EncodingProblems++;
                stats.EncodingSamples.Add(offset + i, raw);
            }

            if (_plan.WhitespaceChecks)
            {
                if (shape.EdgeWhitespace)
                {
                    stats.EdgeWhitespace++;
                    stats.WhitespaceSamples.Add(offset + i, raw);
                }

                if (shape.CarriageReturn)
                {
                    stats.CarriageReturnCells++;
                    if (shape.EdgeWhitespace)
                    {
                        stats.CarriageReturnAndEdge++;
                    }

                    stats.CarriageReturnSamples.Add(offset + i, raw);
                }
                else if (shape.LineFeed)
                {
                    stats.LineFeedOnlyCells++;
                }
            }

            if (_hasFormatRules)
            {
                stats.PatternChecked++;
                if (facts.FormatViolation)
                {
                    stats.PatternViolations++;
                    stats.PatternSamples.Add(offset + i, raw);
                }
            }
        }

        var n = b.Length;
        if (facts.NormalizedHash != facts.Identity)
        {
            if (!_chunkHasNormalized)
            {
                // Until now every normalized hash of this chunk equalled the raw one.
                if (_chunkNormalized is null || _chunkNormalized.Length < n)
                {
                    if (_chunkNormalized is not null)
                    {
                        ArrayPool<UInt128>.Shared.Return(_chunkNormalized);
                    }

                    _chunkNormalized = ArrayPool<UInt128>.Shared.Rent(n);
                }

                hashes[..i].CopyTo(_chunkNormalized);
                _chunkHasNormalized = true;
            }

            _chunkNormalized![i] = facts.NormalizedHash;
        }
        else if (_chunkHasNormalized)
        {
            _chunkNormalized![i] = facts.Identity;
        }

        if (slot >= 0 && jsonKinds is null && repeats!.Seen[slot] && facts.CountOnly && stats.ClassCounts[(int)facts.Class] >= SampleRows.Limit)
        {
            repeats.Quick[slot] = true;
        }
    }

    /// <summary>Applies the counts of a slot's count-only copies (see <see cref="TextFacts.CountOnly"/>).</summary>
    private void FlushQuick(RepeatCache repeats, int slot, ref LengthMoments lengths, ref long textCells)
    {
        var count = repeats.QuickCount[slot];
        if (count == 0)
        {
            return;
        }

        ref readonly var facts = ref repeats.Facts[slot];
        textCells += count;
        lengths.AddRepeated(repeats.Length(slot), count);
        _stats.ClassCounts[(int)facts.Class] += count;
        _stats.DateFormats[facts.DateFormat] += count;
        repeats.Pending[slot] += count;
        repeats.QuickCount[slot] = 0;
    }

    /// <summary>
    /// What the model asks of one text value, from its bytes alone. Low-cardinality columns (labels, categories)
    /// repeat a few values millions of times, so the answers are remembered per value hash while the column has
    /// few distinct values; a column that turns out to have many stops remembering.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private ref readonly TextFacts FactsOf(ReadOnlySpan<byte> raw, UInt128 hash)
    {
        if (_facts is null)
        {
            if (_sharedFacts)
            {
                return ref SharedFactsOf(raw, hash);
            }

            ComputeFacts(raw, hash, ref _computedFacts);
            return ref _computedFacts;
        }

        return ref RememberedFactsOf(raw, hash);
    }

    // The scanning thread's shared memo for this column's way of reading values, taken once a chunk.
    private void TakeSharedFacts()
    {
        var memos = t_sharedFacts ??= [];
        var key = (_plan.NullTokens, _isCode, _plan.WhitespaceChecks);
        if (!memos.TryGetValue(key, out var memo))
        {
            memos[key] = memo = new SharedFacts();
        }

        _sharedMemo = memo;
    }

    private ref readonly TextFacts SharedFactsOf(ReadOnlySpan<byte> raw, UInt128 hash)
    {
        var memo = _sharedMemo!;
        var index = (int)(ulong)hash & (SharedFacts.Slots - 1);
        if (memo.Filled[index] && memo.Hashes[index] == hash)
        {
            return ref memo.Facts[index];
        }

        ComputeFacts(raw, hash, ref memo.Facts[index]);
        memo.Hashes[index] = hash;
        memo.Filled[index] = true;

        // A column of free text would only overwrite the memo with values never seen again: after that many new
        // values the column computes its own answers.
        if (++_factsMisses > FactsMemoLimit)
        {
            _sharedFacts = false;
        }

        return ref memo.Facts[index];
    }

    /// <summary>Answers for values by their hash, one slot per hash's low bits (a newer value takes its slot).</summary>
    private sealed class SharedFacts
    {
        public const int Slots = 4096;
        public readonly UInt128[] Hashes = new UInt128[Slots];
        public readonly bool[] Filled = new bool[Slots];
        public readonly TextFacts[] Facts = new TextFacts[Slots];
    }

    private ref readonly TextFacts RememberedFactsOf(ReadOnlySpan<byte> raw, UInt128 hash)
    {
        var memo = _facts!;
        ref var known = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrNullRef(memo, hash);
        if (!System.Runtime.CompilerServices.Unsafe.IsNullRef(ref known))
        {
            return ref known;
        }

        ComputeFacts(raw, hash, ref _computedFacts);
        if (memo.Count < FactsMemoLimit)
        {
            memo[hash] = _computedFacts;
        }
        else if (++_factsMisses > FactsMemoLimit)
        {
            _facts = null;
        }

        return ref _computedFacts;
    }

    // Written in place: free text computes this for every cell, and returning the struct by value cost more than
    // the checks themselves (copies through the stack and a store-forwarding stall on each call).
    [System.Runtime.CompilerServices.SkipLocalsInit]
    private void ComputeFacts(ReadOnlySpan<byte> raw, UInt128 hash, ref TextFacts facts)
    {
        // Prose and identifiers, the bulk of a text column, settled by one vector pass: a value longer than every
        // null token that starts with a letter (and is not "true" or "false") and ends in no whitespace is text, not
        // missing and not a number; printable ASCII throughout, it has no encoding, control or edge
        // problem, and only a double space can change it under normalization. (The general checks below give the
        // same answers for it, at three times the cost.)
        if (raw.Length > _maxNullToken && char.IsAsciiLetter((char)raw[0]) && (raw.Length > 5 || raw[0] is not ((byte)'t' or (byte)'T' or (byte)'f' or (byte)'F')) && !TextInspector.IsSpace(raw[^1]))
        {
            var (plain, doubleSpace) = TextInspector.ScanPlain(raw);
            if (plain)
            {
                facts.Missing = false;
                facts.Class = ValueClass.Text;
                facts.DateFormat = 0;
                facts.IsNumber = false;
                facts.Number = 0;
                facts.Shape = new TextInspector.TextShape(ascii: true, encodingProblem: false, edgeWhitespace: false, carriageReturn: false, lineFeed: false, tab: false, doubleSpace);
                facts.Identity = CellIdentity.OfText(raw, hash);
                facts.NormalizedHash = _isCode || !doubleSpace ? facts.Identity : NormalizedHashOf(raw);
                facts.FormatViolation = _hasFormatRules && CheckFormat(raw, _plan);
                facts.CountOnly = !_hasFormatRules && facts.NormalizedHash == facts.Identity;
                return;
            }
        }

        var trimmed = MissingCell.Trim(raw);
        if (trimmed.IsEmpty || _plan.NullTokens.Matches(trimmed))
        {
            var identity = CellIdentity.OfText(raw, hash);
            facts = new TextFacts { Missing = true, Identity = identity, NormalizedHash = identity };
            return;
        }

        facts.Missing = false;
        facts.Class = ValueClasses.Classify(trimmed, out facts.DateFormat);
        var first = trimmed.IsEmpty ? (byte)0 : trimmed[0];
        facts.Number = 0;
        facts.IsNumber = (char.IsAsciiDigit((char)first) || first is (byte)'-' or (byte)'+' or (byte)'.') && TextInspector.TryParseNumber(trimmed, out facts.Number);

        // One look at the bytes answers most questions: ASCII text without control characters (the common
        // case) has no encoding problem, no CR, no LF and no tab.
        facts.Shape = TextInspector.Inspect(raw);
        facts.Identity = CellIdentity.OfText(raw, hash);
        facts.NormalizedHash = TextInspector.IsNormalizedFast(raw, _isCode, facts.Shape) ? facts.Identity : NormalizedHashOf(raw);
        facts.FormatViolation = _hasFormatRules && CheckFormat(raw, _plan);
        facts.CountOnly = !(facts.IsNumber && facts.Class is ValueClass.Integer or ValueClass.Decimal)
            && !facts.Shape.EncodingProblem
            && !(_plan.WhitespaceChecks && (facts.Shape.EdgeWhitespace || facts.Shape.CarriageReturn || facts.Shape.LineFeed))
            && !_hasFormatRules
            && facts.NormalizedHash == facts.Identity;
    }

    /// <summary>The hash of a value after the model's text normalization (the rare, allocating path).</summary>
    private UInt128 NormalizedHashOf(ReadOnlySpan<byte> raw) =>
        CellIdentity.OfText(Encoding.UTF8.GetBytes(TextNormalization.ForIdentity(Encoding.UTF8.GetString(raw), _isCode)));

    /// <summary>
    /// Remembers the last values seen at a few decoder addresses within one batch. Low-cardinality text (labels,
    /// categories) comes from dictionary pages, where every copy of a value has the same address: a repeat then
    /// costs an address comparison instead of a 128-bit hash and two dictionary lookups (about 40 ns a cell).
    /// A column whose batches show few repeats (free text) stops using it.
    /// </summary>
    private sealed class RepeatCache
    {
        public const int Slots = 64;

        public readonly UInt128[] Hash = new UInt128[Slots];
        public readonly TextFacts[] Facts = new TextFacts[Slots];
        public readonly long[] Pending = new long[Slots];
        public readonly bool[] Seen = new bool[Slots];

        /// <summary>Further copies of the slot's value only add to counts, kept in <see cref="QuickCount"/>.</summary>
        public readonly bool[] Quick = new bool[Slots];
        public readonly long[] QuickCount = new long[Slots];
        private readonly nint[] _addresses = new nint[Slots];
        private readonly int[] _lengths = new int[Slots];
        private int _hits;

        public void Reset()
        {
            Array.Clear(_addresses);
            Array.Clear(Quick);
            _hits = 0;
        }

        public int Length(int slot) => _lengths[slot];

        /// <summary>
        /// True when the value at this address is cached; <paramref name="slot"/> is its slot, or the slot to store
        /// it in. Each address has two candidate slots: with one, two of a label column's ten values shared a slot in
        /// about half of all runs (addresses differ from run to run) and evicted each other on every other cell.
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        public bool Find(nint address, int length, out int slot)
        {
            var mixed = (ulong)address * 0x9E3779B97F4A7C15UL;
            var first = (int)(mixed >> 58);
            if (_addresses[first] == address && _lengths[first] == length && address != 0)
            {
                _hits++;
                slot = first;
                return true;
            }

            var second = (int)(mixed >> 52) & (Slots - 1);
            if (_addresses[second] == address && _lengths[second] == length && address != 0)
            {
                _hits++;
                slot = second;
                return true;
            }

            slot = _addresses[first] == 0 || _addresses[second] != 0 ? first : second;
            return false;
        }

        public void Store(int slot, nint address, int length, UInt128 hash, in TextFacts facts, SpellingTracker spellings)
        {
            Flush(slot, spellings);
            _addresses[slot] = address;
            _lengths[slot] = length;
            Hash[slot] = hash;
            Facts[slot] = facts;
            Seen[slot] = false;
            Quick[slot] = false;
        }

        /// <summary>Ends a batch (addresses are only valid within one); false when repeats were too rare to pay.</summary>
        public bool Finish(SpellingTracker spellings, int rows)
        {
            for (var slot = 0; slot < Slots; slot++)
            {
                Flush(slot, spellings);
            }

            return _hits * 4 >= rows;
        }

        private void Flush(int slot, SpellingTracker spellings)
        {
            if (Pending[slot] > 0)
            {
                spellings.AddRepeats((ulong)Hash[slot], Pending[slot]);
                Pending[slot] = 0;
            }
        }
    }

    /// <summary>Count, extremes and sums shifted by the first value, one value at a time (<see cref="ChunkMoments"/> takes a span).</summary>
    private struct NumberSums
    {
        private long _count;
        private double _shift;
        private double _sum;
        private double _squares;
        private double _min;
        private double _max;

        public void Add(double x)
        {
            if (_count == 0)
            {
                _shift = _min = _max = x;
            }
            else
            {
                _min = Math.Min(_min, x);
                _max = Math.Max(_max, x);
            }

            var d = x - _shift;
            _count++;
            _sum += d;
            _squares += d * d;
        }

        public readonly Moments ToMoments() => _count == 0 ? default : Moments.FromShiftedSums(_count, _shift, _sum, _squares, _min, _max);
    }

    private struct TextFacts
    {
        public bool Missing;
        public ValueClass Class;
        public int DateFormat;
        public bool IsNumber;
        public double Number;
        public TextInspector.TextShape Shape;
        public bool FormatViolation;

        /// <summary>
        /// A cell with this value only adds to counts (cells, lengths, class, date format, spelling): it is not
        /// missing, not numeric, and has no problem that records sample rows or needs its own normalized hash.
        /// </summary>
        public bool CountOnly;
        public UInt128 NormalizedHash;

        /// <summary>The cell's identity (<see cref="CellIdentity.OfText(ReadOnlySpan{byte})"/>); the memo is keyed by the bytes' hash.</summary>
        public UInt128 Identity;
    }

    /// <summary>True when the cell violates a declared pattern, allowed set, length bound or code filter.</summary>
    private static bool CheckFormat(ReadOnlySpan<byte> raw, ColumnPlan plan)
    {
        var text = Encoding.UTF8.GetString(raw);
        if (plan.Pattern is not null && !plan.Pattern.IsMatch(text))
        {
            return true;
        }

        if (plan.Allowed is not null && !plan.Allowed.Contains(text.Trim()))
        {
            return true;
        }

        if (plan.MinLength is { } min && text.Length < min)
        {
            return true;
        }

        if (plan.MaxLength is { } max && text.Length > max)
        {
            return true;
        }

        if (plan.CodeFilters)
        {
            var lines = text.Split('\n');
            var maxLine = lines.Max(l => l.Length);
            var meanLine = lines.Average(l => l.Length);
            var alnum = text.Length == 0 ? 1 : (double)text.Count(char.IsLetterOrDigit) / text.Length;
            if (maxLine > 1000 || meanLine > 100 || alnum < 0.25)
            {
                return true;
            }
        }

        return false;
    }
}
