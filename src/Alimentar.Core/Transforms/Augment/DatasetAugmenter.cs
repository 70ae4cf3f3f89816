using System.Globalization;
using System.Text.RegularExpressions;
using Alimentar.Data;
using Alimentar.Data.Lossless;
using Alimentar.Data.Writing;
using Alimentar.Quality;
using Alimentar.Semantics;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace Alimentar.Transforms.Augment;

/// <summary>
/// <c>alimentar augment</c> as a library call: class balancing (random over- and undersampling, SMOTE with a
/// SMOTENC vote for categorical columns), noise, and synthetic rows, with provenance columns so the scorer does not
/// count intended copies as duplicates. Two passes over the data: the first reads classes and numeric and
/// categorical features into flat arrays and plans every generated row; the second streams the originals to the
/// output and copies each generated row's other cells from its seed row. The same seed gives the same output.
/// </summary>
public static partial class DatasetAugmenter
{
    private const int Neighbours = 5;

    public static AugmentResult Augment(IEnumerable<string> inputs, AugmentOptions options)
    {
        Validate(options);
        var files = DatasetInputs.Expand(inputs);
        if (!options.Force && files.FirstOrDefault(IsEvaluationSplit) is { } split)
        {
            throw new ArgumentException($"{split} looks like an evaluation split (test/validation/eval): synthetic rows there would leak into evaluation; pass --force to augment it anyway");
        }

        var output = Path.GetFullPath(options.Output);
        if (files.Any(f => Path.GetFullPath(f) == output))
        {
            throw new ArgumentException($"--output {options.Output} is one of the inputs; inputs are never modified");
        }

        var work = Path.Combine(Path.GetDirectoryName(output)!, $".alimentar-augment-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            return Run(files, options, options.DryRun ? Path.Combine(work, Path.GetFileName(output)) : output, work);
        }
        finally
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    public static AugmentResult Augment(string input, AugmentOptions options) => Augment([input], options);

    public static Task<AugmentResult> AugmentAsync(IEnumerable<string> inputs, AugmentOptions options) =>
        Task.Run(() => Augment(inputs, options), options.CancellationToken);

    private static void Validate(AugmentOptions options)
    {
        if (options.Noise is < 0 or > 10)
        {
            throw new ArgumentException("--add-noise must be between 0 and 10 (standard deviations)");
        }

        if (options.CategoricalNoise is < 0 or > 1)
        {
            throw new ArgumentException("--categorical-noise must be a probability between 0 and 1");
        }

        if (options.SyntheticSamples is < 0)
        {
            throw new ArgumentException("--synthetic-samples must not be negative");
        }

        if (!options.BalanceClasses && options.SyntheticSamples is null or 0 && !(options.Noise is > 0 && options.NoiseOriginals))
        {
            throw new ArgumentException("nothing to do: give --balance-classes, --synthetic-samples N, or --add-noise with --noise-originals");
        }
    }

    private static bool IsEvaluationSplit(string file) => EvaluationSplit().IsMatch(Path.GetFileNameWithoutExtension(file))
        || EvaluationSplit().IsMatch(Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(file))) ?? string.Empty);

    [GeneratedRegex(@"(^|[-_.])(test|testing|valid|validation|val|eval|evaluation|dev)([-_.]|$)", RegexOptions.IgnoreCase)]
    private static partial Regex EvaluationSplit();

    private static AugmentResult Run(IReadOnlyList<string> files, AugmentOptions options, string output, string work)
    {
        var before = QualityChecker.Score(files, options.ScoringPhase("scoring"));
        var names = before.Columns.Select(c => c.Name).ToList();
        var label = ColumnRoles.LabelOf(names, options.Profile, options.LabelColumn);
        if (label is not null && !names.Contains(label, StringComparer.Ordinal))
        {
            var closest = ColumnNames.Closest(names, label);
            throw new ArgumentException($"no column '{label}'{(closest is null ? string.Empty : $" (did you mean '{closest}'?)")}; columns: {string.Join(", ", names)}");
        }

        if (options.BalanceClasses && label is null)
        {
            throw new ArgumentException($"--balance-classes needs a label column: give --label-column (columns: {string.Join(", ", names)})");
        }

        var table = FeatureTable.Read(files, options, before, label);
        var notes = new List<string>();
        var random = new Random(options.Seed);
        var plan = GenerationPlan.Make(table, options, random, notes);
        var synthesized = Synthesize(table, plan, options, random, notes);

        var outputShapes = new OutputShapes(table);
        long rowsOut;
        using (var writer = new AugmentWriter(table, options, output, Path.Combine(work, "generated.arrow")))
        {
            rowsOut = writer.Write(files, plan, synthesized, outputShapes, options.CancellationToken);
        }

        var after = QualityChecker.Score(output, options.ScoringPhase("scoring output") with { Delimiter = null });
        var classesBefore = ClassCounts(table, table.Classes);
        var classesAfter = ClassCounts(table, table.Classes.Where((c, r) => !plan.Removed[r]).Concat(plan.Rows.Select(g => g.Class)));
        if (options.BalanceClasses)
        {
            var labelled = classesBefore.Values.Sum();
            notes.Add("Alternative without new rows: class weights w_c = sqrt(N / (K * n_c)), " + string.Join(", ", classesBefore.Select(p =>
                $"{p.Key}: {Math.Sqrt((double)labelled / (classesBefore.Count * Math.Max(1, p.Value))).ToString("0.###", CultureInfo.InvariantCulture)}")));
        }

        return new AugmentResult
        {
            Inputs = files,
            Output = options.Output,
            DryRun = options.DryRun,
            RowsIn = table.Rows,
            RowsOut = rowsOut,
            RowsGenerated = plan.Rows.Count,
            RowsRemoved = plan.Removed.Count(r => r),
            LabelColumn = label,
            Strategy = options.Strategy.ToString().ToLowerInvariant(),
            Seed = options.Seed,
            ClassesBefore = classesBefore,
            ClassesAfter = classesAfter,
            ColumnTreatment = table.Schema.FieldsList.Select((f, i) => (f.Name, Treatment: table.Treatments[i].ToString().ToLowerInvariant()))
                .ToDictionary(p => p.Name, p => p.Treatment),
            Fidelity = outputShapes.Distances(),
            Notes = notes,
            Before = before,
            After = after,
        };
    }

    private static Dictionary<string, long> ClassCounts(FeatureTable table, IEnumerable<int> classes)
    {
        var counts = table.ClassNames.ToDictionary(n => n, _ => 0L, StringComparer.Ordinal);
        foreach (var c in classes)
        {
            if (c >= 0)
            {
                counts[table.ClassNames[c]]++;
            }
        }

        return counts;
    }

    /// <summary>Numeric values and categorical codes of every generated row, and whether its text gets EDA noise.</summary>
    private static Synthesized Synthesize(FeatureTable table, GenerationPlan plan, AugmentOptions options, Random random, List<string> notes)
    {
        var n = plan.Rows.Count;
        var numeric = table.NumericColumns.Select(_ => new double[n]).ToArray();
        var categorical = table.CategoricalColumns.Select(_ => new int[n]).ToArray();
        var neighbours = new NeighbourIndex(table);
        var smallClasses = new HashSet<int>();
        for (var g = 0; g < n; g++)
        {
            var row = plan.Rows[g];
            var seed = (int)row.Seed;
            int[]? near = null;
            if (row.Smote)
            {
                near = neighbours.Of(seed, row.Class);
                if (near.Length < Neighbours)
                {
                    smallClasses.Add(row.Class);
                }
            }

            var partner = near is { Length: > 0 } ? near[random.Next(near.Length)] : -1;
            var u = random.NextDouble();
            for (var f = 0; f < numeric.Length; f++)
            {
                var x = table.Numeric[f][seed];
                var value = partner < 0 || double.IsNaN(x) || double.IsNaN(table.Numeric[f][partner]) ? x : x + (u * (table.Numeric[f][partner] - x));
                if (options.Noise is > 0 and var sigma && !double.IsNaN(value))
                {
                    value = table.Noised(f, value, sigma, random);
                }

                numeric[f][g] = table.Integral[f] && !double.IsNaN(value) ? Math.Round(value) : value;
            }

            for (var f = 0; f < categorical.Length; f++)
            {
                var code = table.Categorical[f][seed];
                if (near is { Length: > 0 })
                {
                    // SMOTENC: the most frequent value among the neighbours (ties to the smallest code).
                    code = near.Select(k => table.Categorical[f][k]).Where(v => v >= 0).GroupBy(v => v)
                        .OrderByDescending(grp => grp.Count()).ThenBy(grp => grp.Key).Select(grp => grp.Key).DefaultIfEmpty(code).First();
                }

                if (options.CategoricalNoise is > 0 and var p && random.NextDouble() < p)
                {
                    code = table.Categorical[f][random.Next(table.Categorical[f].Length)];
                }

                categorical[f][g] = code;
            }
        }

        foreach (var c in smallClasses.Order())
        {
            notes.Add($"class '{table.ClassNames[c]}' has fewer than {Neighbours + 1} rows: SMOTE used its {Math.Max(0, table.Classes.Count(x => x == c) - 1)} other rows as neighbours");
        }

        return new Synthesized(numeric, categorical);
    }

    internal sealed record Synthesized(double[][] Numeric, int[][] Categorical);

    /// <summary>k nearest same-class neighbours on standardized numeric features, one k-d tree per class, built on demand.</summary>
    private sealed class NeighbourIndex(FeatureTable table)
    {
        private readonly Dictionary<int, (KdTree Tree, int[] Rows, Dictionary<int, int> Position)> _trees = [];
        private readonly Dictionary<int, int[]> _cache = [];

        public int[] Of(int row, int cls)
        {
            if (_cache.TryGetValue(row, out var known))
            {
                return known;
            }

            if (!_trees.TryGetValue(cls, out var entry))
            {
                var rows = Enumerable.Range(0, table.Classes.Length).Where(r => table.Classes[r] == cls).ToArray();
                var dims = table.NumericColumns.Length;
                var points = new double[rows.Length * dims];
                for (var i = 0; i < rows.Length; i++)
                {
                    for (var f = 0; f < dims; f++)
                    {
                        var v = table.Numeric[f][rows[i]];
                        points[(i * dims) + f] = double.IsNaN(v) || table.StdDev[f] == 0 ? 0 : (v - table.Mean[f]) / table.StdDev[f];
                    }
                }

                entry = (new KdTree(points, dims), rows, rows.Select((r, i) => (r, i)).ToDictionary(p => p.r, p => p.i));
                _trees[cls] = entry;
            }

            var near = entry.Tree.Nearest(entry.Position[row], Neighbours).Select(i => entry.Rows[i]).ToArray();
            _cache[row] = near;
            return near;
        }
    }
}
