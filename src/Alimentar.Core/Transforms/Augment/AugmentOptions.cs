using Alimentar.Data.Writing;
using Alimentar.Quality;
using Alimentar.Quality.Profiles;

namespace Alimentar.Transforms.Augment;

/// <summary>How <see cref="DatasetAugmenter"/> balances classes.</summary>
public enum BalanceStrategy
{
    /// <summary>Copies of random rows of each smaller class, up to the target (imbalanced-learn's RandomOverSampler).</summary>
    Oversample,

    /// <summary>Random rows of each larger class left out, down to the target (RandomUnderSampler).</summary>
    Undersample,

    /// <summary>New rows on the segment between a row and one of its 5 nearest same-class neighbours (SMOTE; SMOTENC vote for categorical columns).</summary>
    Smote,

    /// <summary>Every class to the mean class size: larger classes undersampled, smaller ones SMOTE-oversampled.</summary>
    Hybrid,
}

/// <summary>What <see cref="DatasetAugmenter"/> does (transforms.md, augment).</summary>
public sealed record AugmentOptions
{
    /// <summary>The output file (.parquet, .csv, .tsv, .jsonl, .arrow).</summary>
    public required string Output { get; init; }

    public bool BalanceClasses { get; init; }

    public BalanceStrategy Strategy { get; init; } = BalanceStrategy.Oversample;

    /// <summary>Per-class counts ("neg=20000,pos=20000") or a minority/majority ratio ("0.5"); null: the strategy's default.</summary>
    public string? Target { get; init; }

    /// <summary>Gaussian noise of this many standard deviations on numeric features, EDA swap/delete with this probability on prose.</summary>
    public double? Noise { get; init; }

    /// <summary>Apply <see cref="Noise"/> to the original rows too (by default only generated rows get it).</summary>
    public bool NoiseOriginals { get; init; }

    /// <summary>Resample categorical cells of noised rows with this probability from the column's empirical distribution.</summary>
    public double? CategoricalNoise { get; init; }

    /// <summary>Generate exactly this many new rows.</summary>
    public int? SyntheticSamples { get; init; }

    public int Seed { get; init; } = 42;

    /// <summary>Add <c>_augmented</c> and <c>_source_row</c> to mark generated rows (the scorer leaves them out of row identity).</summary>
    public bool Provenance { get; init; } = true;

    /// <summary>Augment even a test, validation or eval split.</summary>
    public bool Force { get; init; }

    public bool DryRun { get; init; }

    /// <summary>The field separator of CSV and TSV inputs; null detects it (comma, semicolon, tab or pipe).</summary>
    public char? Delimiter { get; init; }

    public QualityProfile Profile { get; init; } = BuiltInProfiles.Default;

    public string? LabelColumn { get; init; }

    public SinkOptions Sink { get; init; } = new();

    public int? MaxDegreeOfParallelism { get; init; }

    /// <summary>Where the run is: "scoring", "reading features", "writing", "scoring output", and rows done.</summary>
    public IProgress<AugmentProgress>? Progress { get; init; }

    public CancellationToken CancellationToken { get; init; }

    internal QualityOptions Scoring => new()
    {
        Profile = Profile,
        LabelColumn = LabelColumn,
        Delimiter = Delimiter,
        MaxDegreeOfParallelism = MaxDegreeOfParallelism,
        CancellationToken = CancellationToken,
    };

    internal QualityOptions ScoringPhase(string phase) => Scoring with
    {
        Progress = Progress is { } progress ? new PhaseRelay(progress, phase) : null,
    };

    internal void Report(string phase, long rows, long? total) => Progress?.Report(new AugmentProgress(phase, rows, total));

    private sealed class PhaseRelay(IProgress<AugmentProgress> target, string phase) : IProgress<ScanProgress>
    {
        public void Report(ScanProgress value) => target.Report(new AugmentProgress(phase, value.RowsRead, value.DeclaredRows));
    }
}

/// <summary>Where an augment run is: its phase and rows done (of the total, when known).</summary>
public readonly record struct AugmentProgress(string Phase, long Rows, long? TotalRows);
