namespace Alimentar.Data;

/// <summary>
/// One or more files read as one dataset. Columns are matched by name across shards; a column missing from a
/// shard reads as nulls there. Two shards that disagree on a column's type are refused.
/// </summary>
public sealed class Dataset : IDisposable
{
    private readonly List<(IDataSource Source, int[] Map)> _sources = [];

    private Dataset(IReadOnlyList<string> files, char? delimiter = null)
    {
        Files = files;
        var columns = new List<ColumnInfo>();
        var byName = new Dictionary<string, int>(StringComparer.Ordinal);
        try
        {
            foreach (var file in files)
            {
                var source = OpenSource(file, delimiter);
                var map = new int[0];
                _sources.Add((source, map));
                foreach (var column in source.Columns)
                {
                    if (byName.TryGetValue(column.Name, out var existing))
                    {
                        if (columns[existing].Kind != column.Kind)
                        {
                            throw new DataReadException(file, $"column '{column.Name}' is {column.SourceType} here but {columns[existing].SourceType} in {files[0]}");
                        }
                    }
                    else
                    {
                        byName[column.Name] = columns.Count;
                        columns.Add(column);
                    }
                }
            }
        }
        catch
        {
            Dispose();
            throw;
        }

        Columns = columns;
        for (var s = 0; s < _sources.Count; s++)
        {
            var source = _sources[s].Source;
            var map = new int[columns.Count];
            Array.Fill(map, -1);
            for (var c = 0; c < source.Columns.Count; c++)
            {
                if (byName.TryGetValue(source.Columns[c].Name, out var target) && map[target] < 0)
                {
                    map[target] = c;
                }
            }

            _sources[s] = (source, map);
        }
    }

    public IReadOnlyList<string> Files { get; }

    public IReadOnlyList<ColumnInfo> Columns { get; }

    public IEnumerable<IDataSource> Sources => _sources.Select(s => s.Source);

    /// <summary>Sum of the row counts the files' metadata claims, when every file has one.</summary>
    public long? DeclaredRows => _sources.All(s => s.Source.DeclaredRows.HasValue) ? _sources.Sum(s => s.Source.DeclaredRows!.Value) : null;

    /// <param name="delimiter">The field separator of CSV and TSV files; null detects it (comma, semicolon, tab or pipe).</param>
    public static Dataset Open(IEnumerable<string> inputs, char? delimiter = null) => new(DatasetInputs.Expand(inputs), delimiter);

    public static IDataSource OpenSource(string file, char? delimiter = null) => FormatDetector.Detect(file) switch
    {
        DataFormat.Parquet => new Parquet.ParquetDataSource(file),
        DataFormat.Csv => new Text.CsvDataSource(file, DataFormat.Csv, delimiter),
        DataFormat.Tsv => new Text.CsvDataSource(file, DataFormat.Tsv, delimiter),
        DataFormat.Json => new Text.JsonDataSource(file, DataFormat.Json),
        DataFormat.JsonLines => new Text.JsonDataSource(file, DataFormat.JsonLines),
        DataFormat.ArrowIpc => new Arrow.ArrowDataSource(file),
        _ => throw new DataReadException(file, "unsupported format"),
    };

    /// <summary>All parts of all files in order, with columns mapped onto the dataset's columns.</summary>
    public IEnumerable<DataPart> Parts()
    {
        var index = 0;
        foreach (var (source, map) in _sources)
        {
            foreach (var part in source.Parts())
            {
                yield return new MappedPart(index++, part, map, source.Path);
            }
        }
    }

    public void Dispose()
    {
        foreach (var (source, _) in _sources)
        {
            source.Dispose();
        }
    }

    private sealed class MappedPart(int index, DataPart inner, int[] map, string path) : DataPart
    {
        private int _length = -1;

        public override int Index => index;

        public string Path => path;

        public override ColumnBatch ReadColumn(int column)
        {
            if (map[column] >= 0)
            {
                var batch = inner.ReadColumn(map[column]);
                _length = batch.Length;
                return batch;
            }

            if (_length < 0)
            {
                var present = Array.FindIndex(map, m => m >= 0);
                _length = present < 0 ? 0 : inner.ReadColumn(map[present]).Length;
            }

            return new NullColumnBatch(_length);
        }

        public override int RowCountHint => inner.RowCountHint;

        public override IEnumerable<ColumnBatch> ReadColumnChunks(int column) =>
            map[column] >= 0 ? inner.ReadColumnChunks(map[column]) : [ReadColumn(column)];

        public override void Release() => inner.Release();
    }
}
