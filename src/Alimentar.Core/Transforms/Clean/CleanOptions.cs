using Alimentar.Data.Writing;
using Alimentar.Quality;
using Alimentar.Quality.Profiles;

namespace Alimentar.Transforms.Clean;

/// <summary>What <see cref="DatasetCleaner"/> does. Steps run in the order transforms.md gives: drop columns, validate types, normalize text, remove nulls, deduplicate.</summary>
public sealed record CleanOptions
{
    /// <summary>The output file, or a folder (each input shard keeps its name there, as Parquet).</summary>
    public required string Output { get; init; }

    /// <summary>Drop rows missing a required cell (the quality model's missing cell; nullable columns exempt).</summary>
    public bool RemoveNulls { get; init; }

    /// <summary>Keep the first occurrence of each exact duplicate row (normalized text identity with <see cref="NormalizeText"/>).</summary>
    public bool Deduplicate { get; init; }

    /// <summary>Also remove verified near-duplicate rows (MinHash-LSH), keeping each cluster's earliest row. Implies <see cref="Deduplicate"/>.</summary>
    public bool NearDuplicates { get; init; }

    /// <summary>Jaccard threshold for near duplicates; the profile's (0.8 for prose) when null.</summary>
    public double? Threshold { get; init; }

    /// <summary>Narrows <see cref="RemoveNulls"/> and the near-duplicate text to these columns.</summary>
    public IReadOnlyList<string>? Columns { get; init; }

    /// <summary>Coerce text columns to their dominant class (integer, decimal, boolean); cells that do not convert become missing.</summary>
    public bool ValidateTypes { get; init; }

    /// <summary>Repair text: NFC, LF line ends, no BOM or control characters, trimmed, single spaces (code columns: NFC and line ends only).</summary>
    public bool NormalizeText { get; init; }

    public IReadOnlyList<string> DropColumns { get; init; } = [];

    /// <summary>The field separator of CSV and TSV inputs; null detects it (comma, semicolon, tab or pipe).</summary>
    public char? Delimiter { get; init; }

    public QualityProfile Profile { get; init; } = BuiltInProfiles.Default;

    public string? LabelColumn { get; init; }

    /// <summary>The gate the scores before and after are judged by (their <c>Publishable</c>).</summary>
    public Grade MinGrade { get; init; } = Grade.B;

    public double? MinScore { get; init; }

    /// <summary>Everything but writing the output: the summary, including the score after, is computed on a temporary copy.</summary>
    public bool DryRun { get; init; }

    /// <summary>Write one JSON line per removed row here.</summary>
    public string? RemovedPath { get; init; }

    public SinkOptions Sink { get; init; } = new();

    public int? MaxDegreeOfParallelism { get; init; }

    public IProgress<CleanProgress>? Progress { get; init; }

    public CancellationToken CancellationToken { get; init; }

    internal QualityOptions Scoring => new()
    {
        Profile = Profile,
        LabelColumn = LabelColumn,
        MinGrade = MinGrade,
        MinScore = MinScore,
        Delimiter = Delimiter,
        MaxDegreeOfParallelism = MaxDegreeOfParallelism,
        CancellationToken = CancellationToken,
    };
}

/// <summary>Where a clean is: the phase ("scoring", "transforming", "finding duplicates", "writing", "scoring output") and rows done.</summary>
public readonly record struct CleanProgress(string Phase, long Rows, long? TotalRows);
