namespace Alimentar.Quality.Profiles;

/// <summary>Weights of the four dimensions in the overall score.</summary>
public sealed record DimensionWeights(double Completeness, double Uniqueness, double Consistency, double Schema)
{
    public static readonly DimensionWeights Equal = new(0.25, 0.25, 0.25, 0.25);
}

/// <summary>A declared pattern on one column (Format family): regex, allowed values, length bounds.</summary>
public sealed record ColumnPattern(string Column, string? Regex = null, IReadOnlyList<string>? Allowed = null, int? MinLength = null, int? MaxLength = null);

/// <summary>
/// Domain rules for scoring: weights, column roles and thresholds. Built-in profiles live in
/// <see cref="BuiltInProfiles"/>; custom ones load from YAML with <see cref="ProfileLoader"/>.
/// </summary>
public sealed record QualityProfile
{
    public required string Name { get; init; }

    public string Description { get; init; } = string.Empty;

    public DimensionWeights Weights { get; init; } = DimensionWeights.Equal;

    public IReadOnlyList<string> NullTokens { get; init; } = QualityDefaults.NullTokens;

    /// <summary>Columns for which null tokens are not missing values (e.g. doctest output "None").</summary>
    public IReadOnlyList<string> NullTokensOffColumns { get; init; } = [];

    public IReadOnlyList<string> NullableColumns { get; init; } = [];

    public IReadOnlyList<string> KeyColumns { get; init; } = [];

    public string? LabelColumn { get; init; }

    public IReadOnlyList<string> TextColumns { get; init; } = [];

    public IReadOnlyList<string> CodeColumns { get; init; } = [];

    /// <summary>Columns that must exist (Schema S5, a gate).</summary>
    public IReadOnlyList<string> RequiredColumns { get; init; } = [];

    /// <summary>Columns allowed to hold one constant value (exempt from S6).</summary>
    public IReadOnlyList<string> ExpectedConstantColumns { get; init; } = [];

    /// <summary>Columns that must be fully complete: any missing cell is a critical failure.</summary>
    public IReadOnlyList<string> CriticalColumns { get; init; } = [];

    /// <summary>Columns exempt from whitespace checks beyond the code columns.</summary>
    public IReadOnlyList<string> WhitespaceOffColumns { get; init; } = [];

    public bool WhitespaceChecks { get; init; } = true;

    public IReadOnlyList<ColumnPattern> Patterns { get; init; } = [];

    /// <summary>Exact duplicate rate above which a warning is reported.</summary>
    public double MaxDuplicateRate { get; init; } = 0.05;

    /// <summary>Any exact duplicate row is a critical failure (doctest corpora).</summary>
    public bool DuplicatesCritical { get; init; }

    public double NearDuplicateFactor { get; init; } = 0.5;

    public double NearDuplicateThreshold { get; init; } = 0.8;

    /// <summary>Columns near-duplicate detection runs on; empty means the text and code columns.</summary>
    public IReadOnlyList<string> NearDuplicateColumns { get; init; } = [];

    /// <summary>Source and target code columns whose equality makes a degenerate pair.</summary>
    public (string Source, string Target)? DegeneratePair { get; init; }

    /// <summary>BigCode filters as Format checks on code columns.</summary>
    public bool CodeFilters { get; init; }

    public bool LabelSanity { get; init; }

    public int MaxNestingDepth { get; init; } = 8;

    public bool AutoDetectLabel { get; init; }

    /// <summary>
    /// Column names the profile's own file declared (under <c>columns</c> and <c>patterns</c>), each of which must
    /// exist in the dataset: a typo there would silently switch its checks off. Built-in profiles declare none.
    /// </summary>
    public IReadOnlyList<(string Field, string Column)> DeclaredColumns { get; init; } = [];
}

public static class QualityDefaults
{
    public static readonly IReadOnlyList<string> NullTokens = ["", "na", "n/a", "null", "none", "nan", "nil", "-"];
}
