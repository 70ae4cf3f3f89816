namespace Alimentar.Quality.Accumulators;

/// <summary>
/// Everything the quality model needs to know about one column, gathered in one pass over its batches and
/// mergeable across parts (merge order = row order, so sample row indices stay the earliest ones).
/// </summary>
public sealed class ColumnStats
{
    public long Rows;
    public long Nulls;
    public long Missing;
    public long NaNs;
    public long Infinities;
    public long TrueCount;
    public long EncodingProblems;
    public long EdgeWhitespace;
    public long CarriageReturnCells;
    public long CarriageReturnAndEdge;
    public long LineFeedOnlyCells;
    public long TextCells;
    public long PatternChecked;
    public long PatternViolations;
    public long CodeFilterViolations;
    public Moments Numeric;
    public Moments Lengths;
    public readonly long[] ClassCounts = new long[7];
    public readonly long[] JsonKindCounts = new long[6];
    public readonly long[] DateFormats = new long[Semantics.ValueClasses.DateFormatNames.Length];
    public readonly QuantileSketch Sketch = new();

    /// <summary>Dataset-level statistics whose quantile sample holds at most <paramref name="capacity"/> values.</summary>
    public static ColumnStats WithSampleCapacity(int capacity)
    {
        var stats = new ColumnStats();
        stats.Sketch.Limit(capacity);
        return stats;
    }
    public readonly DistinctCounter Distinct = new();
    public readonly SpellingTracker Spellings = new();
    public readonly SampleRows MissingSamples = new();
    public readonly SampleRows EncodingSamples = new();
    public readonly SampleRows WhitespaceSamples = new();
    public readonly SampleRows CarriageReturnSamples = new();
    public readonly SampleRows PatternSamples = new();
    public readonly SampleRows InfinitySamples = new();
    public readonly SampleRows[] ClassSamples = Enumerable.Range(0, 7).Select(_ => new SampleRows()).ToArray();
    public readonly SampleRows[] JsonKindSamples = Enumerable.Range(0, 6).Select(_ => new SampleRows()).ToArray();

    public void Merge(ColumnStats other, long offset)
    {
        Rows += other.Rows;
        Nulls += other.Nulls;
        Missing += other.Missing;
        NaNs += other.NaNs;
        Infinities += other.Infinities;
        TrueCount += other.TrueCount;
        EncodingProblems += other.EncodingProblems;
        EdgeWhitespace += other.EdgeWhitespace;
        CarriageReturnCells += other.CarriageReturnCells;
        CarriageReturnAndEdge += other.CarriageReturnAndEdge;
        LineFeedOnlyCells += other.LineFeedOnlyCells;
        TextCells += other.TextCells;
        PatternChecked += other.PatternChecked;
        PatternViolations += other.PatternViolations;
        CodeFilterViolations += other.CodeFilterViolations;
        Numeric.Merge(other.Numeric);
        Lengths.Merge(other.Lengths);
        for (var i = 0; i < ClassCounts.Length; i++)
        {
            ClassCounts[i] += other.ClassCounts[i];
            ClassSamples[i].Merge(other.ClassSamples[i], offset);
        }

        for (var i = 0; i < JsonKindCounts.Length; i++)
        {
            JsonKindCounts[i] += other.JsonKindCounts[i];
            JsonKindSamples[i].Merge(other.JsonKindSamples[i], offset);
        }

        for (var i = 0; i < DateFormats.Length; i++)
        {
            DateFormats[i] += other.DateFormats[i];
        }

        Sketch.Merge(other.Sketch);
        Distinct.Merge(other.Distinct);
        Spellings.Merge(other.Spellings);
        MissingSamples.Merge(other.MissingSamples, offset);
        EncodingSamples.Merge(other.EncodingSamples, offset);
        WhitespaceSamples.Merge(other.WhitespaceSamples, offset);
        CarriageReturnSamples.Merge(other.CarriageReturnSamples, offset);
        PatternSamples.Merge(other.PatternSamples, offset);
        InfinitySamples.Merge(other.InfinitySamples, offset);
    }
}
