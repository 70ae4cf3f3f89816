using Alimentar.Semantics;

namespace Alimentar.Data.Lossless;

/// <summary>Opens a file on the lossless data path, whatever its format.</summary>
public static class RecordBatchSources
{
    /// <param name="file">A Parquet, Arrow IPC, CSV, TSV, JSON or JSON Lines file.</param>
    /// <param name="nullTokens">Tokens that mark a missing cell in text formats' typed columns.</param>
    /// <param name="delimiter">The field separator of CSV and TSV files; null detects it.</param>
    public static IRecordBatchSource Open(string file, IEnumerable<string>? nullTokens = null, char? delimiter = null) => FormatDetector.Detect(file) switch
    {
        DataFormat.Parquet => new ParquetBatchSource(file),
        DataFormat.ArrowIpc => new ArrowIpcBatchSource(file),
        DataFormat.Csv or DataFormat.Tsv or DataFormat.Json or DataFormat.JsonLines =>
            new TextBatchSource(Dataset.OpenSource(file, delimiter), new NullTokenSet(nullTokens ?? Quality.Profiles.QualityDefaults.NullTokens)),
        _ => throw new DataReadException(file, "unsupported format"),
    };
}
