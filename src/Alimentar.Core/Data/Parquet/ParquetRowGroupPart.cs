using System.Buffers.Binary;
using System.IO.Hashing;
using Alimentar.Hashing;
using ParquetSharp;

namespace Alimentar.Data.Parquet;

/// <summary>One row group. Each column read borrows its own reader from the pool so columns decode on separate threads.</summary>
internal sealed class ParquetRowGroupPart(string path, ParquetReaderPool readers, int index, IReadOnlyList<ParquetFieldLayout> fields, long declaredRows, (long Start, long Length)[]? chunkRanges) : DataPart
{
    public override int Index => index;

    public override int RowCountHint => (int)Math.Clamp(declaredRows, 16, 1 << 24);

    public override IEnumerable<ColumnBatch> ReadColumnChunks(int column)
    {
        var field = fields[column];
        if (!field.IsFlat)
        {
            yield return ReadColumn(column);
            yield break;
        }

        Guard(field, () => CheckLayout(field));
        using var stream = Guard(field, () => new FlatChunkStream(readers, index, field));
        while (true)
        {
            var chunk = Guard(field, stream.Next);
            if (chunk is null)
            {
                yield break;
            }

            yield return chunk;
        }
    }

    private bool CheckLayout(ParquetFieldLayout field)
    {
        if (chunkRanges is null)
        {
            return true;
        }

        foreach (var leaf in field.Leaves)
        {
            if (leaf < chunkRanges.Length && PageLayoutCheck.CheckChunk(path, chunkRanges[leaf].Start, chunkRanges[leaf].Length) is { } problem)
            {
                throw new InvalidOperationException(problem);
            }
        }

        return true;
    }

    private T Guard<T>(ParquetFieldLayout field, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception ex) when (ex is ParquetException or IOException or InvalidOperationException or ArgumentException or OverflowException or IndexOutOfRangeException)
        {
            throw new DataReadException(path, ParquetErrors.Describe(ex) + $" in row group {index}, column '{field.Name}'", ex);
        }
    }

    public override ColumnBatch ReadColumn(int column)
    {
        var field = fields[column];
        if (field.IsFlat)
        {
            // One decoder for flat columns: the same chunks the scanner streams, joined.
            return BatchConcatenation.Concat(ReadColumnChunks(column));
        }

        try
        {
            using var reader = readers.Rent();
            using var rowGroup = reader.Reader.RowGroup(index);
            var hint = rowGroup.MetaData.NumRows;
            CheckLayout(field);
            return ReadNestedAsArrow(field) ?? ReadNested(rowGroup, field, hint);
        }
        catch (Exception ex) when (ex is ParquetException or IOException or InvalidOperationException or ArgumentException or OverflowException or IndexOutOfRangeException)
        {
            throw new DataReadException(path, ParquetErrors.Describe(ex) + $" in row group {index}, column '{field.Name}'", ex);
        }
    }

    /// <summary>
    /// A nested column through Arrow's reader, so its values get the model's identity (canonical JSON) that the same
    /// value read from Arrow IPC, JSON or CSV gets. Null when Arrow refuses the column (some legacy list and map
    /// layouts); the level-based hash below still gives every row an identity then.
    /// </summary>
    private HashedColumnBatch? ReadNestedAsArrow(ParquetFieldLayout field)
    {
        try
        {
            using var reader = new ParquetSharp.Arrow.FileReader(path);
            using var stream = reader.GetRecordBatchReader([index], field.Leaves);
            var hashes = new List<UInt128>();
            var valid = new List<bool>();
            while (stream.ReadNextRecordBatchAsync().AsTask().GetAwaiter().GetResult() is { } batch)
            {
                using (batch)
                {
                    if (batch.ColumnCount != 1 || Arrow.ArrowConversion.ToBatch(batch.Column(0)) is not HashedColumnBatch part)
                    {
                        return null;
                    }

                    hashes.AddRange(part.Hashes.AsSpan(0, part.Length));
                    for (var i = 0; i < part.Length; i++)
                    {
                        valid.Add(!part.IsNull(i));
                    }
                }
            }

            return new HashedColumnBatch(hashes.ToArray(), hashes.Count, valid.Contains(false) ? valid.ToArray() : null);
        }
        catch (Exception ex) when (ex is not (OutOfMemoryException or OperationCanceledException))
        {
            return null;
        }
    }

    private static ColumnBatch ReadNested(RowGroupReader rowGroup, ParquetFieldLayout field, long hint)
    {
        UInt128[]? hashes = null;
        bool[]? valid = null;
        var rows = -1;
        var hasher = new XxHash128();
        Span<byte> scratch = stackalloc byte[16];
        for (var l = 0; l < field.Leaves.Length; l++)
        {
            using var column = rowGroup.Column(field.Leaves[l]);
            var leaf = LeafData.Read(column, field, hint);
            var def = leaf.Def;
            var rep = leaf.Rep;
            var leafRows = 0;
            for (var i = 0; i < leaf.Levels; i++)
            {
                if (leaf.MaxRep == 0 || rep[i] == 0)
                {
                    leafRows++;
                }
            }

            if (rows < 0)
            {
                rows = leafRows;
                hashes = new UInt128[rows];
                Array.Fill(hashes, RowHash.Seed);
                if (field.RootOptional)
                {
                    valid = new bool[rows];
                }
            }
            else if (leafRows != rows)
            {
                throw new InvalidOperationException($"nested leaf columns disagree on the row count ({rows} vs {leafRows})");
            }

            var row = -1;
            var valueIndex = 0;
            for (var i = 0; i <= leaf.Levels; i++)
            {
                var rowStart = i == leaf.Levels || leaf.MaxRep == 0 || rep[i] == 0;
                if (rowStart)
                {
                    if (row >= 0)
                    {
                        hashes![row] = RowHash.Combine(hashes[row], hasher.GetCurrentHashAsUInt128());
                    }

                    hasher.Reset();
                    if (i == leaf.Levels)
                    {
                        break;
                    }

                    row++;
                    if (l == 0 && valid is not null)
                    {
                        valid[row] = def[i] > 0;
                    }
                }

                BinaryPrimitives.WriteInt16LittleEndian(scratch, def[i]);
                BinaryPrimitives.WriteInt16LittleEndian(scratch[2..], leaf.MaxRep > 0 ? rep[i] : (short)0);
                hasher.Append(scratch[..4]);
                if (def[i] == leaf.MaxDef)
                {
                    AppendValue(hasher, leaf.Values, valueIndex++, scratch);
                }
            }
        }

        rows = Math.Max(rows, 0);
        if (valid is not null)
        {
            for (var r = 0; r < rows; r++)
            {
                if (!valid[r])
                {
                    hashes![r] = CellHash.Null;
                }
            }
        }

        return new HashedColumnBatch(hashes ?? [], rows, valid);
    }

    private static void AppendValue(XxHash128 hasher, ValueStore values, int index, Span<byte> scratch)
    {
        switch (values.Kind)
        {
            case ValueStore.Shape.Boolean:
                scratch[0] = values.Boolean(index) ? (byte)1 : (byte)0;
                hasher.Append(scratch[..1]);
                break;
            case ValueStore.Shape.Integer:
                BinaryPrimitives.WriteInt64LittleEndian(scratch, values.Int64(index));
                hasher.Append(scratch[..8]);
                break;
            case ValueStore.Shape.Float:
                BinaryPrimitives.WriteInt64LittleEndian(scratch, BitConverter.DoubleToInt64Bits(values.Double(index)));
                hasher.Append(scratch[..8]);
                break;
            case ValueStore.Shape.Bytes:
                var bytes = values.Bytes(index);
                BinaryPrimitives.WriteInt32LittleEndian(scratch, bytes.Length);
                hasher.Append(scratch[..4]);
                hasher.Append(bytes);
                break;
        }
    }
}
