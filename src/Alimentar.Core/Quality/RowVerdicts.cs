namespace Alimentar.Quality;

/// <summary>What a transform asks the scan to remember about individual rows.</summary>
public sealed record RowVerdictRequest
{
    /// <summary>Rows missing a cell in these columns are incomplete; null means every required column (the model's rule).</summary>
    public IReadOnlyList<string>? IncompleteColumns { get; init; }

    /// <summary>Duplicates by the normalized text identity (quality-model.md) instead of the raw one.</summary>
    public bool NormalizedIdentity { get; init; }

    /// <summary>Keep every (duplicate, first occurrence) pair, not only samples (for a list of removed rows).</summary>
    public bool DuplicatePairs { get; init; }

    /// <summary>Leave incomplete rows out of near-duplicate clustering (they are removed anyway).</summary>
    public bool NearExcludesIncomplete { get; init; }
}

/// <summary>
/// Per-row results of one scan: the rows that are incomplete, that duplicate an earlier row, and the verified
/// near-duplicate clusters. The scanner is the one place these are defined; <c>clean</c> acts on them.
/// </summary>
public sealed class RowVerdicts
{
    public required long Rows { get; init; }

    public required RowSet Incomplete { get; init; }

    /// <summary>Rows whose identity an earlier row already had (the earliest occurrence is not in the set).</summary>
    public required Accumulators.DuplicateRowSet Duplicates { get; init; }

    /// <summary>Every duplicate with the row it duplicates, in row order, when requested.</summary>
    public IReadOnlyList<(long Row, long First)>? DuplicatePairs { get; init; }

    public NearDuplicateResult? Near { get; init; }
}
