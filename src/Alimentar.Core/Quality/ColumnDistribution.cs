namespace Alimentar.Quality;

/// <summary>A value as reports show it (quoted, escaped, cut like a finding's examples) and how many cells hold it.</summary>
public sealed record ValueCount(string Value, long Count);

/// <summary>
/// Counts of a numeric column's values in equal-width bins from <paramref name="Min"/> to <paramref name="Max"/>.
/// <paramref name="Estimated"/> when the counts are scaled up from the column's quantile sample.
/// </summary>
public sealed record ColumnHistogram(double Min, double Max, IReadOnlyList<long> Counts, bool Estimated);
