using System.Runtime.InteropServices;
using Alimentar.Memory;

namespace Alimentar.Quality.Accumulators;

/// <summary>
/// Open-addressing map from a 128-bit row hash to the index of the first row that had it. One 20-byte slot
/// per entry in a single array, so a probe touches one cache line; no per-entry objects. The all-zero key marks
/// an empty slot, so a real all-zero hash is stored as (0, 1).
/// </summary>
public sealed class RowHashIndex : IDisposable
{
    private NativeBuffer<Slot> _slots;
    private int _mask;

    public RowHashIndex(int capacity = 1 << 16)
    {
        var size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, capacity + (capacity / 3)));
        _slots = new NativeBuffer<Slot>(size);
        _mask = size - 1;
    }

    public long Count { get; private set; }

    public RowHashIndex Clone()
    {
        var copy = new RowHashIndex(16) { _mask = _mask, Count = Count };
        copy._slots.Dispose();
        copy._slots = new NativeBuffer<Slot>(_slots.Length);
        _slots.AsSpan().CopyTo(copy._slots.AsSpan());
        return copy;
    }

    /// <summary>Adds the hash; returns -1 if new, otherwise the index of the row that had it first.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public long AddOrGetFirst(UInt128 hash, long row)
    {
        if ((Count + 1) * 4 >= _slots.Length * 3)
        {
            Grow();
        }

        var (lo, hi) = Key(hash);
        var slot = Probe(lo, hi, out var found);
        var slots = _slots.AsSpan();
        if (found)
        {
            return slots[slot].First;
        }

        // Row indices above 4G only lose their sample back-reference, not the duplicate count.
        slots[slot] = new Slot { Lo = lo, Hi = hi, First = row > uint.MaxValue ? uint.MaxValue : (uint)row };
        Count++;
        return -1;
    }

    /// <summary>
    /// Starts loading the cache line a later <see cref="AddOrGetFirst"/> of this hash will probe. The table is far
    /// larger than the caches, so without this every insert waits for memory; with it, inserts a few rows apart
    /// overlap their misses.
    /// </summary>
    public unsafe void Prefetch(UInt128 hash)
    {
        if (System.Runtime.Intrinsics.X86.Sse.IsSupported)
        {
            var (lo, hi) = Key(hash);
            System.Runtime.Intrinsics.X86.Sse.Prefetch0(System.Runtime.CompilerServices.Unsafe.AsPointer(ref _slots[Home(lo, hi)]));
        }
    }

    /// <summary>The first row that had this hash, or -1.</summary>
    public long FirstOf(UInt128 hash)
    {
        var (lo, hi) = Key(hash);
        var slot = Probe(lo, hi, out var found);
        return found ? _slots[slot].First : -1;
    }

    /// <summary>Linear probing: the slot holding the key, or the empty slot where it would go.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private int Probe(ulong lo, ulong hi, out bool found)
    {
        var slots = _slots.AsSpan();
        var slot = Home(lo, hi);
        while (slots[slot].Lo != 0 || slots[slot].Hi != 0)
        {
            if (slots[slot].Lo == lo && slots[slot].Hi == hi)
            {
                found = true;
                return slot;
            }

            slot = (slot + 1) & _mask;
        }

        found = false;
        return slot;
    }

    public void Dispose() => _slots.Dispose();

    private static (ulong Lo, ulong Hi) Key(UInt128 hash)
    {
        var lo = (ulong)hash;
        var hi = (ulong)(hash >> 64);
        return lo == 0 && hi == 0 ? (1, 0) : (lo, hi);
    }

    private int Home(ulong lo, ulong hi) => (int)((lo ^ (hi * 0x9E3779B97F4A7C15UL)) >> 3) & _mask;

    private void Grow()
    {
        var old = _slots;
        _slots = new NativeBuffer<Slot>(old.Length * 2);
        _mask = (int)_slots.Length - 1;
        Count = 0;
        foreach (var s in old.AsSpan())
        {
            if (s.Lo != 0 || s.Hi != 0)
            {
                AddOrGetFirst(new UInt128(s.Hi, s.Lo), s.First);
            }
        }

        old.Dispose();
    }

    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    private struct Slot
    {
        public ulong Lo;
        public ulong Hi;
        public uint First;
    }
}

/// <summary>
/// Several <see cref="RowHashIndex"/> shards chosen by hash bits, so rows can be inserted on several threads:
/// each thread owns one shard and walks the rows in order, so "first occurrence" stays the earliest row.
/// </summary>
public sealed class ShardedRowHashIndex : IDisposable
{
    private readonly RowHashIndex[] _shards;

    public ShardedRowHashIndex(int shards, int capacity)
    {
        var count = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, shards));
        _shards = Enumerable.Range(0, count).Select(_ => new RowHashIndex(Math.Max(16, capacity / count))).ToArray();
    }

    private ShardedRowHashIndex(RowHashIndex[] shards) => _shards = shards;

    public int ShardCount => _shards.Length;

    public void Dispose()
    {
        foreach (var shard in _shards)
        {
            shard.Dispose();
        }
    }

    public ShardedRowHashIndex Clone() => new(_shards.Select(s => s.Clone()).ToArray());

    public int ShardOf(UInt128 hash) => (int)((ulong)(hash >> 64) >> 58) & (_shards.Length - 1);

    public RowHashIndex Shard(int shard) => _shards[shard];

    public long FirstOf(UInt128 hash) => _shards[ShardOf(hash)].FirstOf(hash);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private long InsertShard(int shard, UInt128[] hashes, int rows, long offset, Func<int, bool>? skip, int sampleLimit, List<(long, long)> found)
    {
        // Two passes: first this shard's rows (in row order), then the inserts, each prefetching the slot of the
        // insert a fixed distance ahead. The table is far larger than the caches, so an insert is a memory miss;
        // with the prefetch, misses of consecutive inserts overlap instead of queueing.
        const int Ahead = 16;
        var index = _shards[shard];
        var mine = System.Buffers.ArrayPool<int>.Shared.Rent(Math.Max(rows, 1));
        var count = 0;
        for (var r = 0; r < rows; r++)
        {
            if (ShardOf(hashes[r]) == shard && (skip is null || !skip(r)))
            {
                mine[count++] = r;
            }
        }

        for (var k = 0; k < Math.Min(Ahead, count); k++)
        {
            index.Prefetch(hashes[mine[k]]);
        }

        long duplicates = 0;
        for (var k = 0; k < count; k++)
        {
            if (k + Ahead < count)
            {
                index.Prefetch(hashes[mine[k + Ahead]]);
            }

            var r = mine[k];
            var first = index.AddOrGetFirst(hashes[r], offset + r);
            if (first >= 0)
            {
                duplicates++;
                if (found.Count < sampleLimit)
                {
                    found.Add((offset + r, first));
                }
            }
        }

        System.Buffers.ArrayPool<int>.Shared.Return(mine);
        return duplicates;
    }

    /// <summary>Inserts rows in order; returns duplicate count and up to <paramref name="sampleLimit"/> (row, first) samples.</summary>
    public (long Duplicates, List<(long Row, long First)> Samples) InsertAll(UInt128[] hashes, int rows, long offset, Func<int, bool>? skip, int sampleLimit, ParallelOptions parallel)
    {
        var duplicates = new long[_shards.Length];
        var samples = new List<(long, long)>[_shards.Length];
        Parallel.For(0, _shards.Length, parallel, shard =>
        {
            var found = new List<(long, long)>();
            duplicates[shard] = InsertShard(shard, hashes, rows, offset, skip, sampleLimit, found);
            samples[shard] = found;
        });
        return (duplicates.Sum(), samples.SelectMany(s => s).OrderBy(s => s.Item1).Take(sampleLimit).ToList());
    }
}
