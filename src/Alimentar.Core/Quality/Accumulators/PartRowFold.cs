using Alimentar.Hashing;
using Alimentar.Memory;

namespace Alimentar.Quality.Accumulators;

/// <summary>
/// Row identities and completeness of one part, built up column by column while the columns are scanned.
/// <see cref="RowHash"/> is a polynomial in the cell hashes, so a row hash is a sum of weighted cell hashes:
/// each column adds its terms chunk by chunk, in any order and from any thread. A part then costs one 16-byte
/// hash and one flag byte per row instead of a hash and a flag per cell, and no second pass over the cells.
/// The arrays are anonymous mappings backed by huge pages where the kernel allows (their first-touch faults cost a
/// third of a managed array's first use), reused from part to part through <see cref="FoldMemory"/>.
/// </summary>
public sealed class PartRowFold : IDisposable
{
    private const byte Present = 1;
    private const byte RequiredMissing = 2;

    private readonly object _gate = new();
    private readonly FoldMemory _memory;
    private readonly bool _ownsMemory;
    private readonly UInt128 _seedTerm;
    private NativeBuffer<UInt128>? _hashes;
    private NativeBuffer<UInt128>? _normalized;
    private NativeBuffer<byte>? _flags;
    private int _capacity;

    // Rows [0, _written) hold some column's terms; rows above were never written. Each column adds its chunks in
    // row order, so a chunk starting at row s means its column wrote [0, s): the written rows are always a prefix,
    // and the first column to reach a row stores into it instead of adding, so reused arrays need no clearing.
    private int _written;

    public PartRowFold(int hashedColumns, int capacityHint, FoldMemory? memory = null)
    {
        _ownsMemory = memory is null;
        _memory = memory ?? new FoldMemory();
        _seedTerm = RowHash.SeedTerm(hashedColumns);
        // The arrays are rented when the first column arrives, not here: a part is created as soon as a slot frees
        // up, often while an earlier part is still folding, and renting then took a third set of fresh arrays
        // instead of the one that fold was about to give back.
        _capacity = Math.Max(16, capacityHint);
    }

    /// <summary>Final row hashes of rows [0, rows); valid after <see cref="Finish"/> and until <see cref="Dispose"/>.</summary>
    public ReadOnlySpan<UInt128> Hashes(int rows) => _hashes is null ? [] : _hashes.AsSpan()[..rows];

    /// <summary>Row hashes after text normalization; equal to <see cref="Hashes"/> when no cell of this part changes under it.</summary>
    public ReadOnlySpan<UInt128> NormalizedHashes(int rows) => _normalized is null ? Hashes(rows) : _normalized.AsSpan()[..rows];

    /// <summary>Some cell of this part changes under text normalization.</summary>
    public bool HasNormalized => _normalized is not null;

    /// <summary>
    /// Adds one column's weighted cell hashes for rows [start, start + terms.Length). <paramref name="normalizedDeltas"/>
    /// is empty, or holds (normalized - raw) x weight per row.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void Add(int start, ReadOnlySpan<UInt128> terms, ReadOnlySpan<UInt128> normalizedDeltas, ReadOnlySpan<bool> missing, bool required)
    {
        var n = terms.Length;
        var missingBits = required ? RequiredMissing : (byte)0;
        lock (_gate)
        {
            EnsureCapacity(start + n);
            var added = Math.Clamp(_written - start, 0, n);
            var hashes = _hashes!.AsSpan().Slice(start, n);
            for (var i = 0; i < added; i++)
            {
                hashes[i] += terms[i];
            }

            terms[added..].CopyTo(hashes[added..]);

            if (!normalizedDeltas.IsEmpty)
            {
                _normalized ??= _memory.Hashes.Rent(_capacity);
                var normalized = _normalized.AsSpan().Slice(start, n);
                for (var i = 0; i < n; i++)
                {
                    normalized[i] += normalizedDeltas[i];
                }
            }

            var flags = _flags!.AsSpan().Slice(start, n);
            for (var i = 0; i < added; i++)
            {
                flags[i] |= missing[i] ? missingBits : Present;
            }

            for (var i = added; i < n; i++)
            {
                flags[i] = missing[i] ? missingBits : Present;
            }

            _written = Math.Max(_written, start + n);
        }
    }

    /// <summary>Completes the hashes of rows [0, rows); returns how many rows are complete and how many are empty.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public (long Complete, long Empty) Finish(int rows, bool anyHashedColumn)
    {
        EnsureCapacity(rows);
        if (_written < rows)
        {
            // Rows no column wrote (a part without hashed columns): zero terms, no flags.
            _hashes!.AsSpan()[_written..rows].Clear();
            _flags!.AsSpan()[_written..rows].Clear();
            _written = rows;
        }

        var hashes = _hashes!.AsSpan()[..rows];
        for (var i = 0; i < rows; i++)
        {
            hashes[i] += _seedTerm;
        }

        if (_normalized is not null)
        {
            var normalized = _normalized.AsSpan()[..rows];
            for (var i = 0; i < rows; i++)
            {
                normalized[i] += hashes[i];
            }
        }

        long incomplete = 0, empty = 0;
        var flags = _flags!.AsSpan()[..rows];
        for (var i = 0; i < rows; i++)
        {
            incomplete += (flags[i] >> 1) & 1;
            empty += ~flags[i] & Present;
        }

        return (rows - incomplete, anyHashedColumn ? empty : 0);
    }

    /// <summary>True when a required column is missing in the row.</summary>
    public bool IsIncomplete(int row) => (_flags![row] & RequiredMissing) != 0;

    /// <summary>True when every hashed column is missing in the row.</summary>
    public bool IsEmpty(int row) => (_flags![row] & Present) == 0;

    /// <summary>Gives the arrays back to the <see cref="FoldMemory"/> for the next part.</summary>
    public void Dispose()
    {
        if (_hashes is not null)
        {
            _memory.Hashes.Return(_hashes);
            _memory.Flags.Return(_flags!);
        }

        if (_normalized is not null)
        {
            _memory.Hashes.Return(_normalized);
        }

        if (_ownsMemory)
        {
            _memory.Dispose();
        }
    }

    private void EnsureCapacity(int rows)
    {
        if (_hashes is null)
        {
            _capacity = Math.Max(_capacity, rows);
            _hashes = _memory.Hashes.Rent(_capacity, clear: false);
            _flags = _memory.Flags.Rent(_capacity, clear: false);
            return;
        }

        if (rows <= _capacity)
        {
            return;
        }

        // Footer row counts are hints only; a part that decodes to more rows than it declared still folds.
        var size = Math.Max(rows, _capacity * 2);
        Regrow(ref _hashes!, size, _memory.Hashes);
        Regrow(ref _flags!, size, _memory.Flags);
        if (_normalized is not null)
        {
            Regrow(ref _normalized, size, _memory.Hashes);
        }

        _capacity = size;
    }

    private void Regrow<T>(ref NativeBuffer<T> buffer, int size, NativeBufferPool<T> pool)
        where T : unmanaged
    {
        var bigger = pool.Rent(size);
        buffer.AsSpan()[.._capacity].CopyTo(bigger.AsSpan());
        pool.Return(buffer);
        buffer = bigger;
    }
}

/// <summary>The row folds' arrays, shared by the parts of one scan; disposing it frees them.</summary>
public sealed class FoldMemory : IDisposable
{
    public NativeBufferPool<UInt128> Hashes { get; } = new();

    public NativeBufferPool<byte> Flags { get; } = new();

    public void Dispose()
    {
        Hashes.Dispose();
        Flags.Dispose();
    }
}
