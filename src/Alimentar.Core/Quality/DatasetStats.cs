using Alimentar.Data.Text;
using Alimentar.Quality.Accumulators;

namespace Alimentar.Quality;

/// <summary>What one pass over a dataset gathered, before any scoring.</summary>
public sealed class DatasetStats
{
    public required IReadOnlyList<string> Files { get; init; }

    public required IReadOnlyList<ColumnPlan> Columns { get; init; }

    public required ColumnStats[] ColumnStats { get; init; }

    public long Rows { get; set; }

    public long? DeclaredRows { get; set; }

    /// <summary>Rows in which every required (non-nullable) column is non-missing.</summary>
    public long CompleteRows { get; set; }

    public long EmptyRows { get; set; }

    public SampleRows IncompleteRowSamples { get; } = new();

    public SampleRows EmptyRowSamples { get; } = new();

    /// <summary>Rows marked as augmentation output, excluded from duplicate counting.</summary>
    public long AugmentedRows { get; set; }

    public long ExactDuplicates { get; set; }

    public long NormalizedDuplicates { get; set; }

    public List<(long Row, long DuplicateOf)> DuplicateSamples { get; } = [];

    public List<(long Row, long DuplicateOf)> NormalizedDuplicateSamples { get; } = [];

    public long KeyRows { get; set; }

    public long DistinctKeys { get; set; }

    public long DegeneratePairs { get; set; }

    public SampleRows DegenerateSamples { get; } = new();

    public NearDuplicateResult? NearDuplicates { get; set; }

    /// <summary>The columns near duplicates were compared on; null when they were not asked for, empty when no column qualified.</summary>
    public IReadOnlyList<string>? NearDuplicateColumns { get; set; }

    public List<JsonShapeStats> JsonShapes { get; } = [];

    /// <summary>CSV files with records whose field count differs from the header's: file, such records, the first one and its field count, the header's.</summary>
    public List<(string File, long Rows, IReadOnlyList<(long Record, long Row, int Fields)> Samples, int HeaderFields, string? ExtraColumn)> RaggedCsv { get; } = [];

    /// <summary>CSV header names that repeat an earlier one: the file, the name, its 1-based column and the name it is read as.</summary>
    public List<(string File, string Original, int Column, string ReadAs)> RenamedHeaders { get; } = [];

    /// <summary>Per-row verdicts, when <see cref="QualityOptions.Verdicts"/> asked for them.</summary>
    public RowVerdicts? Verdicts { get; set; }
}
