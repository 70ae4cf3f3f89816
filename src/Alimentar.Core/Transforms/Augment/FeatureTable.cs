using Alimentar.Data.Lossless;
using Alimentar.Data.Writing;
using Alimentar.Quality;
using Alimentar.Semantics;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace Alimentar.Transforms.Augment;

/// <summary>How augmentation treats a column.</summary>
internal enum ColumnTreatment
{
    /// <summary>Label, key, id and code columns: never changed, copied from the seed row.</summary>
    Protected,
    Label,
    Numeric,
    Categorical,
    Text,
    Provenance,

    /// <summary>Anything else (dates, nested values, binary): copied from the seed row.</summary>
    Copied,
}

/// <summary>
/// The first pass over the data: every row's class, and the numeric and categorical features SMOTE and the noise
/// need, in flat arrays (8 bytes per numeric cell, 4 per categorical cell). Text and other columns stay on disk
/// until the writing pass copies them from their seed rows.
/// </summary>
internal sealed class FeatureTable
{
    /// <summary>The categorical limit: a string or boolean column with at most this many distinct values.</summary>
    private const int MaxCategories = 100;

    public required Schema Schema { get; init; }

    public required ColumnTreatment[] Treatments { get; init; }

    public required int LabelIndex { get; init; }

    public required long Rows { get; init; }

    /// <summary>Each row's class (index into <see cref="ClassNames"/>), -1 when the label is missing.</summary>
    public required int[] Classes { get; init; }

    public required List<string> ClassNames { get; init; }

    /// <summary>Column indexes of numeric features, and their values by feature then row (NaN for missing).</summary>
    public required int[] NumericColumns { get; init; }

    public required double[][] Numeric { get; init; }

    public required bool[] Integral { get; init; }

    public required double[] Min { get; init; }

    public required double[] Max { get; init; }

    public required double[] Mean { get; init; }

    public required double[] StdDev { get; init; }

    public required int[] CategoricalColumns { get; init; }

    /// <summary>Codes by feature then row (-1 for missing), and each feature's values.</summary>
    public required int[][] Categorical { get; init; }

    public required List<string>[] Categories { get; init; }

    /// <summary>Feature <paramref name="f"/>'s value plus Gaussian noise of <paramref name="sigma"/> standard deviations, clipped to the observed range.</summary>
    public double Noised(int f, double value, double sigma, Random random)
    {
        // Box-Muller on (0, 1] so the logarithm is finite.
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        var gaussian = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        return Math.Clamp(value + (gaussian * sigma * StdDev[f]), Min[f], Max[f]);
    }

    public static FeatureTable Read(IReadOnlyList<string> files, AugmentOptions options, QualityReport before, string? label)
    {
        Schema? schema = null;
        using (var first = RecordBatchSources.Open(files[0], options.Profile.NullTokens, options.Delimiter))
        {
            schema = first.Schema;
        }

        var treatments = new ColumnTreatment[schema.FieldsList.Count];
        for (var c = 0; c < treatments.Length; c++)
        {
            var field = schema.FieldsList[c];
            var report = before.Columns.FirstOrDefault(r => r.Name == field.Name);
            treatments[c] = Treat(field, report, options, label, before.Rows);
        }

        var numericColumns = Enumerable.Range(0, treatments.Length).Where(c => treatments[c] == ColumnTreatment.Numeric).ToArray();
        var categoricalColumns = Enumerable.Range(0, treatments.Length).Where(c => treatments[c] == ColumnTreatment.Categorical).ToArray();
        var labelIndex = label is null ? -1 : schema.GetFieldIndex(label);
        var tokens = new NullTokenSet(options.Profile.NullTokens);
        var classes = new List<int>();
        var classNames = new List<string>();
        var classIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var spellings = new List<Dictionary<string, long>>();
        var numeric = numericColumns.Select(_ => new List<double>()).ToArray();
        var categorical = categoricalColumns.Select(_ => new List<int>()).ToArray();
        var categories = categoricalColumns.Select(_ => new List<string>()).ToArray();
        var categoryIndex = categoricalColumns.Select(_ => new Dictionary<string, int>(StringComparer.Ordinal)).ToArray();
        foreach (var file in files)
        {
            using var source = RecordBatchSources.Open(file, options.Profile.NullTokens, options.Delimiter);
            if (!SameColumns(source.Schema, schema))
            {
                throw new Data.DataReadException(file, $"its columns differ from {files[0]}'s; augment shards with the same columns together");
            }

            foreach (var batch in source.Batches())
            {
                using (batch)
                {
                    options.CancellationToken.ThrowIfCancellationRequested();
                    options.Report("reading features", classes.Count, before.Rows);
                    var labels = labelIndex >= 0 ? batch.Column(labelIndex) : null;
                    for (var r = 0; r < batch.Length; r++)
                    {
                        if (labels is null || labels.IsNull(r))
                        {
                            classes.Add(-1);
                            continue;
                        }

                        var name = ArrowCellWriter.Text(labels, r);
                        if (MissingCell.IsMissing(System.Text.Encoding.UTF8.GetBytes(name), tokens))
                        {
                            classes.Add(-1);
                            continue;
                        }

                        // Spellings of one class ("Positive", "positive ") are one class, shown by its most common spelling.
                        var key = TextNormalization.CategoryKey(name);
                        if (!classIndex.TryGetValue(key, out var id))
                        {
                            classIndex[key] = id = classNames.Count;
                            classNames.Add(name);
                            spellings.Add(new Dictionary<string, long>(StringComparer.Ordinal));
                        }

                        spellings[id][name] = spellings[id].GetValueOrDefault(name) + 1;
                        classes.Add(id);
                    }

                    for (var f = 0; f < numericColumns.Length; f++)
                    {
                        var array = batch.Column(numericColumns[f]);
                        for (var r = 0; r < batch.Length; r++)
                        {
                            numeric[f].Add(NumericArrays.Read(array, r));
                        }
                    }

                    for (var f = 0; f < categoricalColumns.Length; f++)
                    {
                        var array = batch.Column(categoricalColumns[f]);
                        for (var r = 0; r < batch.Length; r++)
                        {
                            if (array.IsNull(r))
                            {
                                categorical[f].Add(-1);
                                continue;
                            }

                            var value = ArrowCellWriter.Text(array, r);
                            if (!categoryIndex[f].TryGetValue(value, out var code))
                            {
                                categoryIndex[f][value] = code = categories[f].Count;
                                categories[f].Add(value);
                            }

                            categorical[f].Add(code);
                        }
                    }
                }
            }
        }

        for (var c = 0; c < classNames.Count; c++)
        {
            var first = classNames[c];
            classNames[c] = spellings[c].OrderByDescending(p => p.Value).ThenBy(p => p.Key == first ? 0 : 1).First().Key;
        }

        var values = numeric.Select(n => n.ToArray()).ToArray();
        var present = values.Select(v => v.Where(x => !double.IsNaN(x)).ToArray()).ToArray();
        return new FeatureTable
        {
            Schema = schema,
            Treatments = treatments,
            LabelIndex = labelIndex,
            Rows = classes.Count,
            Classes = classes.ToArray(),
            ClassNames = classNames,
            NumericColumns = numericColumns,
            Numeric = values,
            Integral = numericColumns.Select(c => schema.FieldsList[c].DataType is not (FloatType or DoubleType)).ToArray(),
            Min = present.Select(p => p.Length == 0 ? 0 : p.Min()).ToArray(),
            Max = present.Select(p => p.Length == 0 ? 0 : p.Max()).ToArray(),
            Mean = present.Select(p => p.Length == 0 ? 0 : p.Average()).ToArray(),
            StdDev = present.Select(StandardDeviation).ToArray(),
            CategoricalColumns = categoricalColumns,
            Categorical = categorical.Select(c => c.ToArray()).ToArray(),
            Categories = categories,
        };
    }

    private static double StandardDeviation(double[] values)
    {
        if (values.Length < 2)
        {
            return 0;
        }

        var mean = values.Average();
        return Math.Sqrt(values.Sum(x => (x - mean) * (x - mean)) / (values.Length - 1));
    }

    private static ColumnTreatment Treat(Field field, ColumnReport? report, AugmentOptions options, string? label, long rows)
    {
        var roles = ColumnRoles.For(field.Name, options.Profile, label);
        if (roles.Provenance)
        {
            return ColumnTreatment.Provenance;
        }

        if (roles.Label)
        {
            return ColumnTreatment.Label;
        }

        var name = field.Name.ToLowerInvariant();
        var idName = name is "id" or "uuid" or "guid" || name.EndsWith("_id", StringComparison.Ordinal) || name.EndsWith("-id", StringComparison.Ordinal);
        var allDistinct = report is { DistinctExact: true } && report.Distinct == rows && rows > 1;
        if (roles.Key || roles.Code || idName)
        {
            return ColumnTreatment.Protected;
        }

        switch (field.DataType)
        {
            case Int8Type or Int16Type or Int32Type or Int64Type or UInt8Type or UInt16Type or UInt32Type or UInt64Type:
                // An integer column with a different value in every row is an identifier, not a measurement.
                return allDistinct ? ColumnTreatment.Protected : ColumnTreatment.Numeric;
            case FloatType or DoubleType:
                return ColumnTreatment.Numeric;
            case BooleanType:
                return ColumnTreatment.Categorical;
            case StringType:
                return !roles.Text && report is { } r && r.Distinct <= MaxCategories && r.Distinct * 2 <= Math.Max(rows, 2)
                    ? ColumnTreatment.Categorical
                    : ColumnTreatment.Text;
            default:
                return ColumnTreatment.Copied;
        }
    }

    private static bool SameColumns(Schema a, Schema b) =>
        a.FieldsList.Count == b.FieldsList.Count && a.FieldsList.Zip(b.FieldsList).All(p => p.First.Name == p.Second.Name && p.First.DataType.TypeId == p.Second.DataType.TypeId);
}
