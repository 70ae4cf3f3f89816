namespace Alimentar.Data.Writing;

/// <summary>Parquet compression codecs a sink can write.</summary>
public enum ParquetCompression
{
    Snappy,
    Zstd,
    Gzip,
    Lz4,
    None,
}

/// <summary>How a sink writes.</summary>
public sealed record SinkOptions
{
    /// <summary>
    /// Snappy by default: what pyarrow and so the Hub's <c>datasets</c> write, and the cheapest to decode; zstd
    /// gives smaller files for more CPU.
    /// </summary>
    public ParquetCompression Compression { get; init; } = ParquetCompression.Snappy;

    /// <summary>Rows per Parquet row group; null sizes groups to about <see cref="RowGroupBytes"/> uncompressed.</summary>
    public long? RowGroupRows { get; init; }

    /// <summary>Uncompressed bytes per row group when <see cref="RowGroupRows"/> is not set (the Hub's viewer wants at most about 100 MB).</summary>
    public long RowGroupBytes { get; init; } = 100L * 1024 * 1024;

    /// <summary>
    /// Flush the file to disk (fsync) before renaming it into place, so a power cut never leaves a renamed but
    /// empty file. Off only for files that are temporary anyway (a publish's staged shards): flushing a gigabyte
    /// waits on the disk for seconds.
    /// </summary>
    public bool FlushToDisk { get; init; } = true;
}
