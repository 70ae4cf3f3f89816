using ParquetSharp;

namespace Alimentar.Data;

/// <summary>
/// An estimate of a file's in-memory (Arrow) size before reading it: for Parquet, the uncompressed size its footer
/// records for its row groups (plain-encoded values with 4-byte lengths, close to Arrow's offsets and values); for
/// other formats, the file's size. Used to plan shards of equal size; the shards' real sizes are measured.
/// </summary>
public static class InMemorySize
{
    /// <summary>The estimated bytes, and the exact row count when the file's footer says it (Parquet), else null.</summary>
    public static (long Bytes, long? Rows) Estimate(string file)
    {
        if (FormatDetector.FromExtension(file) == DataFormat.Parquet)
        {
            try
            {
                using var reader = new ParquetFileReader(file);
                var metadata = reader.FileMetaData;
                long total = 0;
                for (var i = 0; i < metadata.NumRowGroups; i++)
                {
                    using var group = reader.RowGroup(i);
                    total += group.MetaData.TotalByteSize;
                }

                return (total, metadata.NumRows);
            }
            catch (ParquetException)
            {
                // Read errors are reported by the reader proper, with the file's name.
            }
        }

        return (new FileInfo(file).Length, null);
    }
}
