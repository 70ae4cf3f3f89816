using System.Runtime.InteropServices;
using Alimentar.Memory;

namespace Alimentar.Quality.Accumulators;

/// <summary>
/// Exact duplicate rows by 128-bit row hash, found after the scan instead of during it. Rows are appended in row
/// order to one of many partitions chosen by hash bits (sequential writes); <see cref="Finish"/> then walks each
/// partition in row order with a hash table small enough to stay in the CPU cache. One global table probed per row
/// cost a cache miss per row (about 0.4 s of a 5M-row score on 2 cores); this costs a few nanoseconds per row.
/// Memory is 20 bytes per row, in huge-page arenas (the first one faulted in ahead of use when the row count is known).
/// </summary>
public sealed unsafe class DuplicateFinder : IDisposable
{
    // Each partition holds one partly filled block at any time; with thousands of partitions, 512-entry blocks
    // made that slack 21 MB of a 5M-row file's arena (all of it faulted in up front), 128-entry blocks make it 5 MB.
    private const int BlockEntries = 128;

    private readonly long _expectedRows;
    private readonly int _partitionBits;
    private readonly List<nint>[] _blocks;
    private readonly Entry*[] _cursors;
    private readonly int[] _free;
    private readonly List<NativeBuffer<Entry>> _arenas = [];
    private readonly long _arenaBlocks;
    private long _arenaUsed;
    private Task? _populating;
    private long _rows;

    /// <param name="expectedRows">Rows the input declares (or a guess); sizes the partitions and the first arena.</param>
    /// <param name="populate">Fault the first arena in ahead of use; for declared row counts, not guesses.</param>
    public DuplicateFinder(long expectedRows, bool populate = false)
    {
        _expectedRows = expectedRows;
        // About 4k rows per partition keeps a partition's table (8k slots of 32 bytes) in L2.
        var partitions = (int)Math.Clamp(System.Numerics.BitOperations.RoundUpToPowerOf2((ulong)Math.Max(1, expectedRows / 4096)), 16, 1 << 16);
        _partitionBits = System.Numerics.BitOperations.Log2((uint)partitions);
        _blocks = new List<nint>[partitions];
        _cursors = new Entry*[partitions];
        _free = new int[partitions];
        for (var i = 0; i < partitions; i++)
        {
            _blocks[i] = [];
        }

        // The first arena fits the expected rows plus one partly filled block per partition; later ones grow.
        _arenaBlocks = Math.Max(64, (Math.Max(1, expectedRows) / BlockEntries) + partitions + 1);
        if (populate)
        {
            // Faulting 20 bytes a row of fresh memory in on the thread that appends rows (the one folding parts in
            // row order) cost 0.07-0.4 s of a 5M-row score, depending on how readily the kernel had huge pages;
            // faulted in from the start on another thread it stays off that path (median 1.10 -> 1.00 s).
            _arenas.Add(new NativeBuffer<Entry>(_arenaBlocks * BlockEntries));
            _populating = _arenas[0].PopulateInBackground();
        }
    }

    /// <summary>Appends rows [offset, offset + rows) in order; rows for which <paramref name="skip"/> is true take no part.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void Append(ReadOnlySpan<UInt128> hashes, long offset, Func<int, bool>? skip)
    {
        var rows = hashes.Length;
        var shift = 64 - _partitionBits;

        // Cursors and free counts in flat arrays: the row loop touches two small arrays, not one object per partition.
        var cursors = _cursors;
        var free = _free;
        const int Ahead = 8;
        for (var r = 0; r < rows; r++)
        {
            if (r + Ahead < rows && System.Runtime.Intrinsics.X86.Sse.IsSupported)
            {
                // Each row lands in another partition's block; fetching that block's next line a few rows ahead
                // overlaps the cache misses of the scattered writes instead of stalling on each in turn.
                System.Runtime.Intrinsics.X86.Sse.Prefetch0(cursors[PartitionOf(hashes[r + Ahead], shift)]);
            }

            if (skip is not null && skip(r))
            {
                continue;
            }

            var hash = hashes[r];
            var p = PartitionOf(hash, shift);
            if (free[p] == 0)
            {
                cursors[p] = NewBlock();
                _blocks[p].Add((nint)cursors[p]);
                free[p] = BlockEntries;
            }

            var cursor = cursors[p];
            cursor->Hash = hash;
            // Row indices above 4G keep their duplicate count but lose their sample back-reference.
            cursor->Row = (uint)Math.Min(offset + r, uint.MaxValue);
            cursors[p] = cursor + 1;
            free[p]--;
        }

        _rows = Math.Max(_rows, offset + rows);
    }

    /// <summary>A copy holding the same rows, to continue separately (normalized identities start as raw ones).</summary>
    public DuplicateFinder Clone()
    {
        // Same partitioning: a row's partition must not depend on which copy it is in.
        var copy = new DuplicateFinder(_expectedRows) { _rows = _rows };
        for (var p = 0; p < _blocks.Length; p++)
        {
            foreach (var block in _blocks[p])
            {
                var copied = copy.NewBlock();
                new Span<Entry>((Entry*)block, BlockEntries).CopyTo(new Span<Entry>(copied, BlockEntries));
                copy._blocks[p].Add((nint)copied);
                copy._cursors[p] = copied + (BlockEntries - _free[p]);
            }

            copy._free[p] = _free[p];
        }

        return copy;
    }

    /// <summary>
    /// Counts rows whose hash an earlier row already had. Returns the count, the earliest <paramref name="sampleLimit"/>
    /// duplicate rows (each with the first row of its identity) among those <paramref name="sampleFilter"/> accepts,
    /// and the set of all duplicate rows.
    /// </summary>
    public DuplicateResult Finish(int sampleLimit, Func<long, bool>? sampleFilter, ParallelOptions parallel)
    {
        var duplicates = new DuplicateRowSet(_rows);
        var counts = new long[_blocks.Length];
        var samples = new List<(long Row, long First)>[_blocks.Length];
        Parallel.For(0, _blocks.Length, parallel, () => new LocalTable(), (p, _, table) =>
        {
            var found = new List<(long, long)>();
            counts[p] = FinishPartition(_blocks[p], ((long)_blocks[p].Count * BlockEntries) - _free[p], table, duplicates, sampleLimit, sampleFilter, found);
            samples[p] = found;
            return table;
        }, _ => { });

        var earliest = samples.SelectMany(s => s).OrderBy(s => s.Item1).Take(sampleLimit).ToList();
        return new DuplicateResult(counts.Sum(), earliest, duplicates);
    }

    public void Dispose()
    {
        try
        {
            _populating?.Wait();
        }
        catch (AggregateException)
        {
            // Populating is only a hint.
        }

        foreach (var arena in _arenas)
        {
            arena.Dispose();
        }

        _arenas.Clear();
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static long FinishPartition(List<nint> blocks, long rows, LocalTable table, DuplicateRowSet duplicates, int sampleLimit, Func<long, bool>? sampleFilter, List<(long, long)> found)
    {
        table.Reset(rows);
        long count = 0;
        var remaining = rows;
        foreach (var block in blocks)
        {
            var entries = new ReadOnlySpan<Entry>((Entry*)block, (int)Math.Min(remaining, BlockEntries));
            remaining -= entries.Length;
            foreach (ref readonly var entry in entries)
            {
                var first = table.AddOrGetFirst(entry.Hash, entry.Row);
                if (first < 0)
                {
                    continue;
                }

                count++;
                duplicates.Add(entry.Row);
                if (found.Count < sampleLimit && (sampleFilter is null || sampleFilter(entry.Row)))
                {
                    found.Add((entry.Row, first));
                }
            }
        }

        return count;
    }

    // A row's partition: the top bits of its hash (the tables within a partition index by the low ones).
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static int PartitionOf(UInt128 hash, int shift) => (int)((ulong)(hash >> 64) >> shift);

    private Entry* NewBlock()
    {
        if (_arenas.Count == 0 || _arenaUsed == _arenas[^1].Length / BlockEntries)
        {
            // Each further arena doubles, so an underestimated row count costs a few mappings, not thousands.
            var blocks = _arenas.Count == 0 ? _arenaBlocks : _arenas[^1].Length / BlockEntries * 2;
            _arenas.Add(new NativeBuffer<Entry>(blocks * BlockEntries));
            _arenaUsed = 0;
        }

        return _arenas[^1].Pointer + (_arenaUsed++ * BlockEntries);
    }

    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    private struct Entry
    {
        public UInt128 Hash;
        public uint Row;
    }

    /// <summary>
    /// Open addressing over one partition's rows, reused across partitions by one thread. A slot is taken when its
    /// stamp equals the current partition's, so moving to the next partition clears nothing.
    /// </summary>
    private sealed class LocalTable
    {
        private Slot[] _slots = new Slot[1024];
        private int _mask = 1023;
        private int _stamp;

        public void Reset(long rows)
        {
            var size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, rows * 2));
            if (size > _slots.Length)
            {
                _slots = new Slot[size];
                _stamp = 0;
            }

            _mask = size - 1;
            _stamp++;
        }

        /// <summary>-1 if the hash is new, otherwise the row that had it first.</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        public long AddOrGetFirst(UInt128 hash, long row)
        {
            // The partition fixed the hash's top bits, so the slot comes from the low ones.
            var slots = _slots;
            var slot = (int)(ulong)hash & _mask;
            while (slots[slot].Stamp == _stamp)
            {
                if (slots[slot].Hash == hash)
                {
                    return slots[slot].First;
                }

                slot = (slot + 1) & _mask;
            }

            slots[slot] = new Slot { Hash = hash, First = row, Stamp = _stamp };
            return -1;
        }

        private struct Slot
        {
            public UInt128 Hash;
            public long First;
            public int Stamp;
        }
    }
}

/// <summary>What <see cref="DuplicateFinder.Finish"/> found.</summary>
public sealed record DuplicateResult(long Duplicates, List<(long Row, long First)> Samples, DuplicateRowSet Rows);

/// <summary>The duplicate rows as a bitmap over row indices (thread-safe adds).</summary>
public sealed class DuplicateRowSet(long rows)
{
    private readonly long[] _bits = new long[Math.Max(1, (rows + 63) / 64)];

    public void Add(long row) => Interlocked.Or(ref _bits[row >> 6], 1L << (int)(row & 63));

    public bool Contains(long row) => row >= 0 && (row >> 6) < _bits.Length && (_bits[row >> 6] & (1L << (int)(row & 63))) != 0;
}
