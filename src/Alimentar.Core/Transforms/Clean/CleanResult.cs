using Alimentar.Quality;

namespace Alimentar.Transforms.Clean;

/// <summary>Why a row was removed.</summary>
public static class RemovalReasons
{
    public const string Missing = "missing";
    public const string Duplicate = "duplicate";
    public const string NearDuplicate = "near-duplicate";
}

/// <summary>Cells one step changed in one column.</summary>
/// <param name="Step">"validate-types" or "normalize-text".</param>
/// <param name="Column">The column.</param>
/// <param name="Changed">Cells whose value changed (coerced to the column's class, or repaired text).</param>
/// <param name="MadeMissing">Cells that could not be coerced and became missing.</param>
public sealed record CellChanges(string Step, string Column, long Changed, long MadeMissing = 0);

/// <summary>What a clean did, with the score before and after.</summary>
public sealed record CleanResult
{
    public required IReadOnlyList<string> Inputs { get; init; }

    public required string Output { get; init; }

    /// <summary>Files written (empty for a dry run).</summary>
    public required IReadOnlyList<string> Outputs { get; init; }

    public required bool DryRun { get; init; }

    public required long RowsIn { get; init; }

    public required long RowsOut { get; init; }

    /// <summary>Rows removed per reason (<see cref="RemovalReasons"/>); each removed row counts once, for the first step that removed it.</summary>
    public required IReadOnlyDictionary<string, long> RowsRemoved { get; init; }

    public required IReadOnlyList<string> DroppedColumns { get; init; }

    public required IReadOnlyList<CellChanges> CellChanges { get; init; }

    /// <summary>The near-duplicate parameters, when near duplicates were looked for.</summary>
    public string? NearDuplicateParameters { get; init; }

    public required QualityReport Before { get; init; }

    public required QualityReport After { get; init; }

    public string? RemovedPath { get; init; }
}
