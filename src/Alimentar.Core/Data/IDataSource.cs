namespace Alimentar.Data;

/// <summary>
/// A readable dataset file, split into parts (Parquet row groups, or fixed-size chunks of text formats).
/// Parts are yielded in order; each part decodes its columns independently, so columns of several parts
/// can be decoded on different threads.
/// </summary>
public interface IDataSource : IDisposable
{
    string Path { get; }

    DataFormat Format { get; }

    IReadOnlyList<ColumnInfo> Columns { get; }

    /// <summary>Rows the file's metadata claims, when it has any. Never trusted over decoded data.</summary>
    long? DeclaredRows { get; }

    IEnumerable<DataPart> Parts();
}

/// <summary>One independently decodable slice of rows.</summary>
public abstract class DataPart
{
    public abstract int Index { get; }

    /// <summary>Decodes one column of this part. Must be safe to call from several threads for different columns.</summary>
    public abstract ColumnBatch ReadColumn(int column);

    /// <summary>
    /// Decodes one column as a sequence of consecutive chunks. A chunk is valid only until the next one is
    /// requested (decoders reuse buffers), so consumers must not keep it.
    /// </summary>
    public virtual IEnumerable<ColumnBatch> ReadColumnChunks(int column)
    {
        yield return ReadColumn(column);
    }

    /// <summary>A hint of how many rows the part holds (untrusted; for pre-sizing only).</summary>
    public virtual int RowCountHint => 65536;

    /// <summary>Frees what this part holds once every column has been read.</summary>
    public virtual void Release()
    {
    }
}
