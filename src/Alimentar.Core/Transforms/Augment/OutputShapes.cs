using Alimentar.Data.Writing;
using Apache.Arrow;

namespace Alimentar.Transforms.Augment;

/// <summary>
/// SDMetrics' column shapes between the input and the output: the two-sample Kolmogorov-Smirnov statistic for
/// numeric columns, the total variation distance for categorical ones.
/// </summary>
internal sealed class OutputShapes(FeatureTable table)
{
    private readonly List<double>[] _numeric = table.NumericColumns.Select(_ => new List<double>()).ToArray();
    private readonly Dictionary<string, long>[] _categorical = table.CategoricalColumns.Select(_ => new Dictionary<string, long>(StringComparer.Ordinal)).ToArray();

    public void Add(RecordBatch batch)
    {
        for (var f = 0; f < _numeric.Length; f++)
        {
            var array = batch.Column(table.NumericColumns[f]);
            for (var i = 0; i < array.Length; i++)
            {
                if (NumericArrays.Read(array, i) is var v && !double.IsNaN(v))
                {
                    _numeric[f].Add(v);
                }
            }
        }

        for (var f = 0; f < _categorical.Length; f++)
        {
            var array = batch.Column(table.CategoricalColumns[f]);
            for (var i = 0; i < array.Length; i++)
            {
                if (!array.IsNull(i))
                {
                    var key = ArrowCellWriter.Text(array, i);
                    _categorical[f][key] = _categorical[f].GetValueOrDefault(key) + 1;
                }
            }
        }
    }

    public IReadOnlyList<ColumnShape> Distances()
    {
        var shapes = new List<ColumnShape>();
        for (var f = 0; f < _numeric.Length; f++)
        {
            var before = table.Numeric[f].Where(v => !double.IsNaN(v)).ToArray();
            shapes.Add(new ColumnShape(table.Schema.FieldsList[table.NumericColumns[f]].Name, "ks", Math.Round(KolmogorovSmirnov(before, _numeric[f].ToArray()), 6)));
        }

        for (var f = 0; f < _categorical.Length; f++)
        {
            var before = table.Categorical[f].Where(c => c >= 0).GroupBy(c => table.Categories[f][c]).ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal);
            shapes.Add(new ColumnShape(table.Schema.FieldsList[table.CategoricalColumns[f]].Name, "tvd", Math.Round(TotalVariation(before, _categorical[f]), 6)));
        }

        return shapes;
    }

    internal static double KolmogorovSmirnov(double[] a, double[] b)
    {
        if (a.Length == 0 || b.Length == 0)
        {
            return a.Length == b.Length ? 0 : 1;
        }

        System.Array.Sort(a);
        System.Array.Sort(b);
        int i = 0, j = 0;
        var sup = 0.0;
        while (i < a.Length && j < b.Length)
        {
            var x = Math.Min(a[i], b[j]);
            while (i < a.Length && a[i] <= x)
            {
                i++;
            }

            while (j < b.Length && b[j] <= x)
            {
                j++;
            }

            sup = Math.Max(sup, Math.Abs(((double)i / a.Length) - ((double)j / b.Length)));
        }

        return sup;
    }

    internal static double TotalVariation(Dictionary<string, long> a, Dictionary<string, long> b)
    {
        double totalA = a.Values.Sum(), totalB = b.Values.Sum();
        if (totalA == 0 || totalB == 0)
        {
            return totalA == totalB ? 0 : 1;
        }

        return 0.5 * a.Keys.Union(b.Keys).Sum(k => Math.Abs((a.GetValueOrDefault(k) / totalA) - (b.GetValueOrDefault(k) / totalB)));
    }
}
