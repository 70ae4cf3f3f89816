using Alimentar.Quality.Profiles;

namespace Alimentar.Quality;

/// <summary>Grades, best first.</summary>
public enum Grade
{
    A,
    B,
    C,
    D,
}

/// <summary>How to score a dataset and what it must reach to pass the gate.</summary>
public sealed record QualityOptions
{
    public QualityProfile Profile { get; init; } = BuiltInProfiles.Default;

    /// <summary>Label column for ml-training (overrides the profile's and auto-detection).</summary>
    public string? LabelColumn { get; init; }

    public bool NearDuplicates { get; init; }

    /// <summary>The field separator of CSV and TSV inputs (an ASCII character); null detects it.</summary>
    public char? Delimiter { get; init; }

    public Grade MinGrade { get; init; } = Grade.B;

    public double? MinScore { get; init; }

    public int? MaxDegreeOfParallelism { get; init; }

    public IProgress<ScanProgress>? Progress { get; init; }

    /// <summary>Receives each part's row identities (first row, hashes) in row order; for differential tests.</summary>
    internal Action<long, UInt128[]>? RowIdentities { get; init; }

    /// <summary>
    /// Scan each column's parts in row order straight into the dataset's statistics instead of per part then merged;
    /// null chooses by width (in place from <see cref="DatasetScanner.InPlaceColumns"/> columns). Both give the same
    /// statistics; tests compare them.
    /// </summary>
    internal bool? ScanInPlace { get; init; }

    public CancellationToken CancellationToken { get; init; }

    /// <summary>Also remember per-row verdicts (for transforms); costs a bit per row.</summary>
    public RowVerdictRequest? Verdicts { get; init; }
}
