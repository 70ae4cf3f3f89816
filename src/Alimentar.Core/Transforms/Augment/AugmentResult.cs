using Alimentar.Quality;

namespace Alimentar.Transforms.Augment;

/// <summary>How far one column's distribution moved: Kolmogorov-Smirnov for numeric columns, total variation distance for categorical ones.</summary>
public sealed record ColumnShape(string Column, string Metric, double Distance)
{
    /// <summary>1 - distance, SDMetrics' column-shape score.</summary>
    public double Similarity => 1 - Distance;
}

/// <summary>What <see cref="DatasetAugmenter"/> did.</summary>
public sealed record AugmentResult
{
    public required IReadOnlyList<string> Inputs { get; init; }

    public required string Output { get; init; }

    public bool DryRun { get; init; }

    public required long RowsIn { get; init; }

    public required long RowsOut { get; init; }

    public required long RowsGenerated { get; init; }

    /// <summary>Original rows left out by undersampling.</summary>
    public required long RowsRemoved { get; init; }

    public string? LabelColumn { get; init; }

    public required string Strategy { get; init; }

    public required int Seed { get; init; }

    public required IReadOnlyDictionary<string, long> ClassesBefore { get; init; }

    public required IReadOnlyDictionary<string, long> ClassesAfter { get; init; }

    /// <summary>Column kinds as augmentation treated them: numeric, categorical, text, protected (label, key, id, code), copied.</summary>
    public required IReadOnlyDictionary<string, string> ColumnTreatment { get; init; }

    public required IReadOnlyList<ColumnShape> Fidelity { get; init; }

    /// <summary>Decisions worth knowing: small classes, fallbacks, the class-weight alternative.</summary>
    public required IReadOnlyList<string> Notes { get; init; }

    public required QualityReport Before { get; init; }

    public required QualityReport After { get; init; }
}
