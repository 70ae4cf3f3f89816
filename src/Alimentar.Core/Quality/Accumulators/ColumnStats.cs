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
    // Samplers are made on first use (reading one makes it too): most columns have no problem to sample.
    private SampleRows? _missingSamples;
    private SampleRows? _encodingSamples;
    private SampleRows? _whitespaceSamples;
    private SampleRows? _carriageReturnSamples;
    private SampleRows? _patternSamples;
    private SampleRows? _infinitySamples;

    public SampleRows MissingSamples => _missingSamples ??= new();

    public SampleRows EncodingSamples => _encodingSamples ??= new();

    public SampleRows WhitespaceSamples => _whitespaceSamples ??= new();

    public SampleRows CarriageReturnSamples => _carriageReturnSamples ??= new();

    public SampleRows PatternSamples => _patternSamples ??= new();

    public SampleRows InfinitySamples => _infinitySamples ??= new();

    // Made on a class's first sample: thirteen samplers a column, most never used, were a fifth of a 100,000-column
    // table's statistics.
    private SampleRows?[]? _classSamples;
    private SampleRows?[]? _jsonKindSamples;

    /// <summary>The sampler of cells of value class <paramref name="valueClass"/>, made on first use.</summary>
    public SampleRows ClassSample(int valueClass) => (_classSamples ??= new SampleRows?[ClassCounts.Length])[valueClass] ??= new();

    /// <summary>The sampled cells of value class <paramref name="valueClass"/>, or null when none was sampled.</summary>
    public SampleRows? ClassSamplesOf(int valueClass) => _classSamples?[valueClass];

    public SampleRows JsonKindSample(int kind) => (_jsonKindSamples ??= new SampleRows?[JsonKindCounts.Length])[kind] ??= new();

    public SampleRows? JsonKindSamplesOf(int kind) => _jsonKindSamples?[kind];

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
            if (other.ClassSamplesOf(i) is { } samples)
            {
                ClassSample(i).Merge(samples, offset);
            }
        }

        for (var i = 0; i < JsonKindCounts.Length; i++)
        {
            JsonKindCounts[i] += other.JsonKindCounts[i];
            if (other.JsonKindSamplesOf(i) is { } samples)
            {
                JsonKindSample(i).Merge(samples, offset);
            }
        }

        for (var i = 0; i < DateFormats.Length; i++)
        {
            DateFormats[i] += other.DateFormats[i];
        }

        Sketch.Merge(other.Sketch);
        Distinct.Merge(other.Distinct);
        Spellings.Merge(other.Spellings);
        Merge(ref _missingSamples, other._missingSamples, offset);
        Merge(ref _encodingSamples, other._encodingSamples, offset);
        Merge(ref _whitespaceSamples, other._whitespaceSamples, offset);
        Merge(ref _carriageReturnSamples, other._carriageReturnSamples, offset);
        Merge(ref _patternSamples, other._patternSamples, offset);
        Merge(ref _infinitySamples, other._infinitySamples, offset);
    }

    private static void Merge(ref SampleRows? mine, SampleRows? other, long offset)
    {
        if (other is not null)
        {
            (mine ??= new()).Merge(other, offset);
        }
    }
}
