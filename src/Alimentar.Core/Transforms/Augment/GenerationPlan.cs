using System.Globalization;

namespace Alimentar.Transforms.Augment;

/// <summary>One row to generate: its seed row, class, whether SMOTE interpolates it, and its text noise (0 for none).</summary>
internal readonly record struct GeneratedRow(long Seed, int Class, bool Smote, double TextNoise);

/// <summary>Which original rows stay, and which rows are generated from which seeds (ordered by seed row).</summary>
internal sealed class GenerationPlan
{
    public required List<GeneratedRow> Rows { get; init; }

    public required bool[] Removed { get; init; }

    public static GenerationPlan Make(FeatureTable table, AugmentOptions options, Random random, List<string> notes)
    {
        var rows = table.Classes.Length;
        var labelled = table.LabelIndex >= 0;
        var classCount = labelled ? table.ClassNames.Count : 1;
        int ClassOf(int row) => labelled ? table.Classes[row] : 0;
        var members = Enumerable.Range(0, classCount).Select(_ => new List<int>()).ToArray();
        for (var r = 0; r < rows; r++)
        {
            if (ClassOf(r) is >= 0 and var c)
            {
                members[c].Add(r);
            }
        }

        var counts = members.Select(m => (long)m.Count).ToArray();
        var targets = options.BalanceClasses ? Targets(table, options, counts) : counts;
        var removed = new bool[rows];
        var undersample = options.BalanceClasses && (options.Strategy is BalanceStrategy.Undersample or BalanceStrategy.Hybrid || options.Target is not null);
        for (var c = 0; c < classCount && undersample; c++)
        {
            var surplus = (int)Math.Max(0, counts[c] - targets[c]);
            var pool = members[c].ToArray();
            for (var i = 0; i < surplus; i++)
            {
                var j = i + random.Next(pool.Length - i);
                (pool[i], pool[j]) = (pool[j], pool[i]);
                removed[pool[i]] = true;
            }
        }

        var deficits = Enumerable.Range(0, classCount).Select(c => Math.Max(0, targets[c] - counts[c])).ToArray();
        var synthetic = options.SyntheticSamples is > 0;
        var generate = synthetic
            ? Allocate(options.SyntheticSamples!.Value, deficits.Sum() > 0 ? deficits : counts)
            : deficits;
        var smoteStrategy = options.Strategy is BalanceStrategy.Smote or BalanceStrategy.Hybrid || synthetic;
        var hasNumeric = table.NumericColumns.Length > 0;
        if (smoteStrategy && !hasNumeric && generate.Any(g => g > 0))
        {
            notes.Add("no numeric feature columns: generated rows are copies of their seed rows (SMOTE needs numbers)");
        }

        var textNoise = options.Noise is > 0 ? options.Noise.Value : synthetic ? 0.1 : 0;
        var planned = new List<(GeneratedRow Row, int Order)>();
        for (var c = 0; c < classCount; c++)
        {
            if (generate[c] == 0)
            {
                continue;
            }

            var pool = members[c].Where(r => !removed[r]).ToArray();
            if (pool.Length == 0)
            {
                notes.Add($"class '{(labelled ? table.ClassNames[c] : "all rows")}' has no rows to generate from");
                continue;
            }

            var smote = smoteStrategy && hasNumeric && pool.Length >= 2;
            if (smoteStrategy && hasNumeric && pool.Length < 2)
            {
                notes.Add($"class '{table.ClassNames[c]}' has one row: its new rows are copies (SMOTE needs two)");
            }

            for (var i = 0; i < generate[c]; i++)
            {
                planned.Add((new GeneratedRow(pool[random.Next(pool.Length)], labelled ? c : -1, smote, textNoise), planned.Count));
            }
        }

        return new GenerationPlan
        {
            Rows = planned.OrderBy(p => p.Row.Seed).ThenBy(p => p.Order).Select(p => p.Row).ToList(),
            Removed = removed,
        };
    }

    /// <summary>Target rows per class: explicit counts, a minority/majority ratio, or the strategy's default.</summary>
    private static long[] Targets(FeatureTable table, AugmentOptions options, long[] counts)
    {
        var majority = counts.DefaultIfEmpty(0).Max();
        var minority = counts.DefaultIfEmpty(0).Min();
        if (options.Target is { } target && target.Contains('='))
        {
            var targets = (long[])counts.Clone();
            foreach (var part in target.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var pair = part.Split('=', 2, StringSplitOptions.TrimEntries);
                var index = table.ClassNames.FindIndex(n => Semantics.TextNormalization.CategoryKey(n) == Semantics.TextNormalization.CategoryKey(pair[0]));
                if (index < 0)
                {
                    throw new ArgumentException($"--target names class '{pair[0]}', which the label column does not have; classes: {string.Join(", ", table.ClassNames)}");
                }

                if (!long.TryParse(pair[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) || count < 0)
                {
                    throw new ArgumentException($"--target: '{part}' is not class=count with a non-negative count");
                }

                targets[index] = count;
            }

            return targets;
        }

        if (options.Target is { } ratioText)
        {
            if (!double.TryParse(ratioText, NumberStyles.Float, CultureInfo.InvariantCulture, out var ratio) || ratio is <= 0 or > 1)
            {
                throw new ArgumentException($"--target must be class=count pairs (\"neg=20000,pos=20000\") or a minority/majority ratio in (0, 1], got '{ratioText}'");
            }

            return options.Strategy == BalanceStrategy.Undersample
                ? counts.Select(c => Math.Min(c, (long)Math.Floor(minority / ratio))).ToArray()
                : counts.Select(c => Math.Max(c, (long)Math.Ceiling(ratio * majority))).ToArray();
        }

        return options.Strategy switch
        {
            BalanceStrategy.Undersample => counts.Select(_ => minority).ToArray(),
            BalanceStrategy.Hybrid => counts.Select(_ => (long)Math.Round(counts.Average())).ToArray(),
            _ => counts.Select(_ => majority).ToArray(),
        };
    }

    /// <summary>Splits <paramref name="total"/> in proportion to <paramref name="weights"/> (largest remainder; ties to the earlier class).</summary>
    private static long[] Allocate(long total, long[] weights)
    {
        var sum = weights.Sum();
        if (sum == 0)
        {
            return weights.Select((_, i) => i == 0 ? total : 0).ToArray();
        }

        var shares = weights.Select(w => (double)total * w / sum).ToArray();
        var result = shares.Select(s => (long)Math.Floor(s)).ToArray();
        var left = total - result.Sum();
        foreach (var i in Enumerable.Range(0, weights.Length).OrderByDescending(i => shares[i] - result[i]).ThenBy(i => i).Take((int)left))
        {
            result[i]++;
        }

        return result;
    }
}
