namespace Alimentar.Data.Writing;

/// <summary>What a sink writes, chosen by the output path's extension.</summary>
public enum OutputFormat
{
    Parquet,
    Csv,
    Tsv,
    JsonLines,
    ArrowIpc,
}

public static class OutputFormats
{
    /// <summary>The format for an output path, or null when its extension names none.</summary>
    public static OutputFormat? FromPath(string path) => System.IO.Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".parquet" or ".pq" => OutputFormat.Parquet,
        ".csv" => OutputFormat.Csv,
        ".tsv" => OutputFormat.Tsv,
        ".jsonl" or ".ndjson" => OutputFormat.JsonLines,
        ".arrow" or ".feather" or ".ipc" => OutputFormat.ArrowIpc,
        _ => null,
    };

    public static string Extension(OutputFormat format) => format switch
    {
        OutputFormat.Parquet => ".parquet",
        OutputFormat.Csv => ".csv",
        OutputFormat.Tsv => ".tsv",
        OutputFormat.JsonLines => ".jsonl",
        _ => ".arrow",
    };
}
