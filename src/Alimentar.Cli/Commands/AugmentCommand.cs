using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Alimentar.Cli.Rendering;
using Alimentar.Data;
using Alimentar.Data.Writing;
using Alimentar.Quality;
using Alimentar.Quality.Reports;
using Alimentar.Transforms.Augment;

namespace Alimentar.Cli.Commands;

/// <summary><c>alimentar augment</c>: parse, call <see cref="DatasetAugmenter"/>, render.</summary>
public static class AugmentCommand
{
    public static Command Build()
    {
        var inputs = new Argument<string[]>("inputs") { Description = "Parquet, CSV, TSV, JSON, JSONL or Arrow files, folders or globs (together one dataset)", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--output", "-o") { Description = "Output file (.parquet, .csv, .tsv, .jsonl, .arrow)", Required = true };
        var balance = new Option<bool>("--balance-classes") { Description = "Balance the label's classes (default: oversample every class to the majority's count)" };
        var strategy = new Option<string>("--strategy") { Description = "oversample (default), undersample, smote, hybrid", DefaultValueFactory = _ => "oversample" };
        var target = new Option<string?>("--target") { Description = "Per-class counts (\"neg=20000,pos=20000\") or a minority/majority ratio (0.5)" };
        var noise = new Option<double?>("--add-noise") { Description = "Gaussian noise of SIGMA x the column's standard deviation on numeric features; EDA swap/delete with probability SIGMA on prose" };
        var noiseOriginals = new Option<bool>("--noise-originals") { Description = "Also add the noise to the original rows (default: generated rows only)" };
        var categoricalNoise = new Option<double?>("--categorical-noise") { Description = "Resample categorical cells of noised rows with probability P" };
        var synthetic = new Option<int?>("--synthetic-samples") { Description = "Generate exactly N new rows (class-conditional: filling deficits with --balance-classes, else by class priors)" };
        var seed = new Option<int>("--seed") { Description = "Random seed (the same seed gives byte-identical output)", DefaultValueFactory = _ => 42 };
        var noProvenance = new Option<bool>("--no-provenance") { Description = "Do not add the _augmented and _source_row columns" };
        var force = new Option<bool>("--force") { Description = "Augment even a test, validation or eval split" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Report what would be generated without writing the output" };
        var profile = new Option<string?>("--profile") { Description = "Built-in profile: default, ml-training, doctest-corpus, code-translation" };
        var profileFile = new Option<string?>("--profile-file") { Description = "Custom profile from a YAML file" };
        var label = new Option<string?>("--label-column") { Description = "Label column" };
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON" };
        var report = new Option<string?>("--report") { Description = "Also write the summary as JSON to FILE" };
        var compression = new Option<string>("--compression") { Description = "Parquet codec: snappy (default), zstd, gzip, lz4, none", DefaultValueFactory = _ => "snappy" };
        var rowGroup = new Option<long?>("--row-group-size") { Description = "Rows per Parquet row group (default: about 100 MB uncompressed)" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress bar" };
        var threads = new Option<int?>("--threads") { Description = "Worker threads for scoring (default: all cores)" };

        var command = new Command("augment", "Balance classes, add noise and generate synthetic rows, marked with provenance columns")
        {
            inputs, output, balance, strategy, target, noise, noiseOriginals, categoricalNoise, synthetic, seed, noProvenance, force, dryRun,
            profile, profileFile, label, json, report, compression, rowGroup, quiet, threads,
        };
        var flags = new ProfileFlags();
        foreach (var option in flags.Options)
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            var chosen = (parse.GetValue(strategy) ?? "oversample").ToLowerInvariant() switch
            {
                "oversample" => BalanceStrategy.Oversample,
                "undersample" => BalanceStrategy.Undersample,
                "smote" => BalanceStrategy.Smote,
                "hybrid" => BalanceStrategy.Hybrid,
                var other => throw new UsageException($"--strategy must be oversample, undersample, smote or hybrid, got '{other}'"),
            };
            var codec = CleanCommand.ParseCompression(parse.GetValue(compression));
            var options = new AugmentOptions
            {
                Output = parse.GetValue(output)!,
                BalanceClasses = parse.GetValue(balance),
                Strategy = chosen,
                Target = parse.GetValue(target),
                Noise = parse.GetValue(noise),
                NoiseOriginals = parse.GetValue(noiseOriginals),
                CategoricalNoise = parse.GetValue(categoricalNoise),
                SyntheticSamples = parse.GetValue(synthetic),
                Seed = parse.GetValue(seed),
                Provenance = !parse.GetValue(noProvenance),
                Force = parse.GetValue(force),
                DryRun = parse.GetValue(dryRun),
                Profile = flags.Apply(parse, QualityCommands.ResolveProfile(parse.GetValue(profile), parse.GetValue(profileFile))),
                Delimiter = flags.Delimiter(parse),
                LabelColumn = parse.GetValue(label),
                Sink = new SinkOptions { Compression = codec, RowGroupRows = parse.GetValue(rowGroup) },
                MaxDegreeOfParallelism = parse.GetValue(threads),
            };
            var silent = parse.GetValue(quiet) || parse.GetValue(json) || Console.IsErrorRedirected;
            var files = DatasetArguments.Local(parse.GetValue(inputs)!).ToArray();
            AugmentResult result;
            try
            {
                result = silent
                    ? DatasetAugmenter.Augment(files, options)
                    : ProgressDisplay.Run("Augmenting", progress => DatasetAugmenter.Augment(files, options with { Progress = new PhaseProgress(progress) }));
            }
            catch (ArgumentException ex)
            {
                throw new UsageException(ex.Message);
            }

            CleanCommand.EmitSummary(ToJson(result), parse.GetValue(report), parse.GetValue(json), () => Render(result));
            return ExitCodes.Ok;
        });
        return command;
    }

    public static JsonObject ToJson(AugmentResult r) => new()
    {
        ["schemaVersion"] = 1,
        ["inputs"] = new JsonArray(r.Inputs.Select(i => (JsonNode)i).ToArray()),
        ["output"] = r.Output,
        ["dryRun"] = r.DryRun,
        ["labelColumn"] = r.LabelColumn,
        ["strategy"] = r.Strategy,
        ["seed"] = r.Seed,
        ["rowsIn"] = r.RowsIn,
        ["rowsOut"] = r.RowsOut,
        ["rowsGenerated"] = r.RowsGenerated,
        ["rowsRemoved"] = r.RowsRemoved,
        ["classesBefore"] = new JsonObject(r.ClassesBefore.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
        ["classesAfter"] = new JsonObject(r.ClassesAfter.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
        ["columns"] = new JsonObject(r.ColumnTreatment.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
        ["fidelity"] = new JsonArray(r.Fidelity.Select(f => (JsonNode)new JsonObject
        {
            ["column"] = f.Column,
            ["metric"] = f.Metric,
            ["distance"] = f.Distance,
            ["similarity"] = Math.Round(f.Similarity, 6),
        }).ToArray()),
        ["notes"] = new JsonArray(r.Notes.Select(n => (JsonNode)n).ToArray()),
        ["before"] = CleanCommand.ScoreJson(r.Before),
        ["after"] = CleanCommand.ScoreJson(r.After),
    };

    private sealed class PhaseProgress(IProgress<ScanProgress> target) : IProgress<AugmentProgress>
    {
        public void Report(AugmentProgress value) => target.Report(new ScanProgress(value.Rows, 0, value.TotalRows));
    }

    private static void Render(AugmentResult r)
    {
        var o = Console.Out;
        var inv = CultureInfo.InvariantCulture;
        o.WriteLine(r.DryRun ? $"Dry run: nothing written (would write {r.Output})" : $"Augmented {string.Join(", ", r.Inputs)} -> {r.Output}");
        o.WriteLine(string.Create(inv, $"Rows: {r.RowsIn:N0} in, {r.RowsGenerated:N0} generated, {r.RowsRemoved:N0} left out, {r.RowsOut:N0} out (seed {r.Seed}, {r.Strategy})"));
        if (r.LabelColumn is not null)
        {
            o.WriteLine($"Classes ({r.LabelColumn}):");
            foreach (var (name, before) in r.ClassesBefore)
            {
                o.WriteLine(string.Create(inv, $"- {name}: {before:N0} -> {r.ClassesAfter.GetValueOrDefault(name):N0}"));
            }
        }

        if (r.Fidelity.Count > 0)
        {
            o.WriteLine("Column shapes (1 = unchanged distribution):");
            foreach (var f in r.Fidelity)
            {
                o.WriteLine(string.Create(inv, $"- {f.Column}: {f.Similarity:0.000} ({f.Metric.ToUpperInvariant()} {f.Distance:0.000})"));
            }
        }

        foreach (var note in r.Notes)
        {
            o.WriteLine($"Note: {note}");
        }

        o.WriteLine();
        o.WriteLine(string.Create(inv, $"Quality Score: {r.Before.Score:0.0}% (Grade {r.Before.Grade}) -> {r.After.Score:0.0}% (Grade {r.After.Grade})"));
    }
}
