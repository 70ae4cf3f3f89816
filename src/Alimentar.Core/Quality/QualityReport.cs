using System.Text.Json.Serialization;

namespace Alimentar.Quality;

[JsonConverter(typeof(JsonStringEnumConverter<Severity>))]
public enum Severity
{
    [JsonStringEnumMemberName("critical")]
    Critical,
    [JsonStringEnumMemberName("high")]
    High,
    [JsonStringEnumMemberName("warn")]
    Warn,
    [JsonStringEnumMemberName("info")]
    Info,
}

/// <summary>A problem found in the data, with its evidence and the fix to run.</summary>
public sealed record Finding(
    string Id,
    Severity Severity,
    string Dimension,
    string Message,
    IReadOnlyList<string> Columns,
    long Count,
    double Rate,
    IReadOnlyList<long> SampleRows,
    string? Suggestion,
    IReadOnlyList<string>? Examples = null);

/// <summary>One dimension's score (null when nothing could be assessed) and the weight it had.</summary>
public sealed record DimensionScore(double? Score, double Weight, string Summary, IReadOnlyDictionary<string, double> Parts);

public sealed record DimensionScores(DimensionScore Completeness, DimensionScore Uniqueness, DimensionScore Consistency, DimensionScore Schema);

/// <summary>
/// Per-column facts, for information (distinct counts are not scored). <paramref name="TopValues"/> (a column with at
/// most 1,000 distinct spellings) and <paramref name="Histogram"/> (numeric columns) are given for the first
/// <see cref="ColumnReport.DistributionColumns"/> columns, what a report can show.
/// </summary>
public sealed record ColumnReport(
    string Name,
    string Type,
    string Kind,
    long Rows,
    long Nulls,
    long Missing,
    double Completeness,
    long Distinct,
    bool DistinctExact,
    double? Min,
    double? Max,
    double? Mean,
    double? StdDev,
    double? MeanLength,
    string? DominantClass,
    IReadOnlyList<string> Roles,
    IReadOnlyList<ValueCount>? TopValues = null,
    ColumnHistogram? Histogram = null)
{
    public const int DistributionColumns = 1000;
}

public sealed record NearDuplicateReport(long RedundantCopies, long RowsInClusters, int Clusters, IReadOnlyDictionary<int, int> ClusterSizes, IReadOnlyList<NearDuplicatePair> SamplePairs, string Parameters);

public sealed record NearDuplicatePair(long Row, long Other, double Similarity);

public sealed record DuplicateReport(long Exact, double ExactRate, long Normalized, long? NearDuplicates, IReadOnlyList<long[]> Samples, NearDuplicateReport? Near);

public sealed record GateReport(string MinGrade, double? MinScore, bool Passed, IReadOnlyList<string> Reasons);

/// <summary>The result of <c>alimentar quality score</c>. Serialized as the documented JSON schema.</summary>
public sealed record QualityReport
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    public required double Score { get; init; }

    public required string Grade { get; init; }

    public required bool Publishable { get; init; }

    public required GateReport Gate { get; init; }

    public required IReadOnlyList<string> CriticalFailures { get; init; }

    public required DimensionScores Dimensions { get; init; }

    public required IReadOnlyList<Finding> Findings { get; init; }

    public required IReadOnlyList<ColumnReport> Columns { get; init; }

    public required long Rows { get; init; }

    public long? DeclaredRows { get; init; }

    public required DuplicateReport Duplicates { get; init; }

    public required string Profile { get; init; }

    public required IReadOnlyList<string> Inputs { get; init; }

    public static Grade GradeFor(double score) => score >= 95 ? Quality.Grade.A : score >= 85 ? Quality.Grade.B : score >= 70 ? Quality.Grade.C : Quality.Grade.D;
}
