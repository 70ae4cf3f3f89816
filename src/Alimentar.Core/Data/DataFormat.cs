namespace Alimentar.Data;

/// <summary>The on-disk formats alimentar reads.</summary>
public enum DataFormat
{
    Parquet,
    Csv,
    Tsv,
    Json,
    JsonLines,
    ArrowIpc,
}
