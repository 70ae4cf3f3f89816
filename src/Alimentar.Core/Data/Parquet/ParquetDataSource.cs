using ParquetSharp;

namespace Alimentar.Data.Parquet;

/// <summary>
/// Reads Parquet through ParquetSharp's lower-level column readers, one row group per part. Row counts come
/// from the decoded levels, never from the footer.
/// </summary>
public sealed class ParquetDataSource : IDataSource
{
    private readonly IReadOnlyList<ParquetFieldLayout> _fields;
    private readonly int _rowGroups;
    private readonly long[] _rowGroupRows = [];
    private readonly (long Start, long Length)[][]? _chunkRanges;
    private readonly ParquetReaderPool _readers;

    public ParquetDataSource(string path)
    {
        Path = path;
        _readers = new ParquetReaderPool(path);
        try
        {
            using var reader = OpenReader(path);
            var metadata = reader.FileMetaData;
            _rowGroups = metadata.NumRowGroups;
            _rowGroupRows = new long[_rowGroups];
            for (var i = 0; i < _rowGroups; i++)
            {
                using var rowGroup = reader.RowGroup(i);
                _rowGroupRows[i] = rowGroup.MetaData.NumRows;
            }

            DeclaredRows = metadata.NumRows;
            _fields = ParquetFieldLayout.FromSchema(metadata.Schema);
            _chunkRanges = SafeChunkRanges(path);
            Columns = _fields.Select(f => f.Info).ToList();
        }
        catch (Exception ex) when (ex is ParquetException or IOException or InvalidOperationException or ArgumentException or OverflowException)
        {
            throw new DataReadException(path, ParquetErrors.Describe(ex), ex);
        }
    }

    public string Path { get; }

    public DataFormat Format => DataFormat.Parquet;

    public IReadOnlyList<ColumnInfo> Columns { get; }

    public long? DeclaredRows { get; }

    internal static ParquetFileReader OpenReader(string path)
    {
        var properties = ReaderProperties.GetDefaultReaderProperties();
        properties.EnablePageChecksumVerification();

        // Unbuffered, the reader pulls each whole column chunk (hundreds of MB for a text column) into a fresh
        // allocation, and the first-touch page faults on it cost more CPU than decoding. Buffered, it reads page by
        // page through one small reused buffer, which also bounds memory by a page instead of a chunk.
        properties.EnableBufferedStream();
        properties.BufferSize = 1 << 20;
        return new ParquetFileReader(path, properties);
    }

    public IEnumerable<DataPart> Parts()
    {
        for (var i = 0; i < _rowGroups; i++)
        {
            yield return new ParquetRowGroupPart(Path, _readers, i, _fields, _rowGroupRows[i], _chunkRanges is { } ranges && i < ranges.Length ? ranges[i] : null);
        }
    }

    /// <summary>Readers opened so far: about one per scanning thread, whatever the column count.</summary>
    internal int ReadersOpened => _readers.Opened;

    public void Dispose() => _readers.Dispose();

    private static (long Start, long Length)[][]? SafeChunkRanges(string path)
    {
        try
        {
            return PageLayoutCheck.ReadChunkRanges(path);
        }
        catch (Exception ex) when (ex is IndexOutOfRangeException or InvalidDataException or OverflowException or ArgumentException)
        {
            return null; // ParquetSharp parsed this footer; the layout check is an extra, not a second parser to obey
        }
    }
}

internal static class ParquetErrors
{
    public static string Describe(Exception ex)
    {
        var message = ex.Message;
        var firstLine = message.Split('\n')[0].Trim();
        var quoted = firstLine.IndexOf("message: '", StringComparison.Ordinal);
        if (quoted >= 0)
        {
            firstLine = firstLine[(quoted + 10)..].TrimEnd(')', '\'', ' ');
        }

        if (message.Contains("encrypt", StringComparison.OrdinalIgnoreCase) || message.Contains("decrypt", StringComparison.OrdinalIgnoreCase))
        {
            return "is encrypted; decryption keys are not supported (" + firstLine + ")";
        }

        if (message.Contains("checksum", StringComparison.OrdinalIgnoreCase) || message.Contains("CRC", StringComparison.Ordinal))
        {
            return "is corrupt: a page checksum does not match (" + firstLine + ")";
        }

        return "is malformed or truncated Parquet (" + firstLine + ")";
    }
}
