namespace Alimentar.Hub.Cards;

/// <summary>One split as <c>dataset_info.splits</c> lists it.</summary>
/// <param name="Name">train, validation, test or another <c>\w+(\.\w+)*</c> name.</param>
/// <param name="NumBytes">Uncompressed (in-memory Arrow) size, as <c>datasets</c> estimates it.</param>
/// <param name="NumExamples">Rows.</param>
public sealed record SplitInfo(string Name, long NumBytes, long NumExamples);

/// <summary>
/// The keys <c>datasets.push_to_hub</c> writes (<c>dataset_info</c> and <c>configs</c>) for one default config:
/// features, splits with their sizes, the Parquet bytes to download, and where each split's files are.
/// </summary>
public sealed record DatasetInfo
{
    public required IReadOnlyList<NamedFeature> Features { get; init; }

    public required IReadOnlyList<SplitInfo> Splits { get; init; }

    /// <summary>Bytes of the uploaded Parquet files.</summary>
    public required long DownloadSize { get; init; }

    /// <summary>Sum of the splits' <see cref="SplitInfo.NumBytes"/>.</summary>
    public long DatasetSize => Splits.Sum(s => s.NumBytes);

    public long NumExamples => Splits.Sum(s => s.NumExamples);

    /// <summary>Folder of the data files in the repo (<c>data</c> for the default config, as <c>datasets</c> writes it).</summary>
    public string DataDir { get; init; } = "data";

    /// <summary>The <c>data_files</c> pattern of a split: <c>data/train-*</c>.</summary>
    public string PathPattern(string split) => $"{DataDir}/{split}-*";
}
