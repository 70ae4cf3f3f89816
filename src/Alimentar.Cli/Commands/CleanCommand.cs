using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Alimentar.Cli.Rendering;
using Alimentar.Data;
using Alimentar.Data.Writing;
using Alimentar.Quality;
using Alimentar.Quality.Reports;
using Alimentar.Transforms.Clean;

namespace Alimentar.Cli.Commands;

/// <summary><c>alimentar clean</c>: parse, call <see cref="DatasetCleaner"/>, render.</summary>
public static class CleanCommand
{
    public static Command Build()
    {
        var inputs = new Argument<string[]>("inputs") { Description = "Parquet, CSV, TSV, JSON, JSONL or Arrow files, folders or globs (together one dataset)", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--output", "-o") { Description = "Output file (.parquet, .csv, .tsv, .jsonl, .arrow) or folder ending in / (shards keep their names)", Required = true };
        var removeNulls = new Option<bool>("--remove-nulls") { Description = "Drop rows missing a required cell (null, NaN, blank, null token)" };
        var deduplicate = new Option<bool>("--deduplicate") { Description = "Keep the first of each exact duplicate row" };
        var near = new Option<bool>("--near-duplicates") { Description = "Also drop verified near-duplicate rows (MinHash-LSH), keeping each cluster's earliest" };
        var threshold = new Option<double?>("--threshold") { Description = "Jaccard threshold for --near-duplicates (default: the profile's, 0.8)" };
        var columns = new Option<string?>("--columns") { Description = "Comma-separated columns that --remove-nulls and --near-duplicates look at" };
        var validate = new Option<bool>("--validate-types") { Description = "Coerce text columns to their dominant class; cells that do not convert become missing" };
        var normalize = new Option<bool>("--normalize-text") { Description = "NFC, LF line ends, no BOM or control characters, trimmed, single spaces (code columns: NFC and line ends)" };
        var drop = new Option<string?>("--drop-columns") { Description = "Comma-separated columns to remove" };
        var profile = new Option<string?>("--profile") { Description = "Built-in profile: default, ml-training, doctest-corpus, code-translation" };
        var profileFile = new Option<string?>("--profile-file") { Description = "Custom profile from a YAML file" };
        var label = new Option<string?>("--label-column") { Description = "Label column (ml-training)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Report what would change without writing the output" };
        var removed = new Option<string?>("--removed") { Description = "Write every removed row (row, file, reason, duplicateOf, similarity) to this JSONL file" };
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON" };
        var report = new Option<string?>("--report") { Description = "Also write the summary as JSON to FILE" };
        var compression = new Option<string>("--compression") { Description = "Parquet codec: snappy (default), zstd, gzip, lz4, none", DefaultValueFactory = _ => "snappy" };
        var rowGroup = new Option<long?>("--row-group-size") { Description = "Rows per Parquet row group (default: about 100 MB uncompressed)" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress bar" };
        var threads = new Option<int?>("--threads") { Description = "Worker threads (default: all cores)" };

        var command = new Command("clean", "Fix what the score finds: drop incomplete and duplicate rows, coerce types, repair text")
        {
            inputs, output, removeNulls, deduplicate, near, threshold, columns, validate, normalize, drop, profile, profileFile, label,
            dryRun, removed, json, report, compression, rowGroup, quiet, threads,
        };
        var flags = new ProfileFlags();
        foreach (var option in flags.Options)
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            var codec = ParseCompression(parse.GetValue(compression));
            if (parse.GetValue(rowGroup) is <= 0)
            {
                throw new UsageException("--row-group-size must be a positive number of rows");
            }

            var options = new CleanOptions
            {
                Output = parse.GetValue(output)!,
                RemoveNulls = parse.GetValue(removeNulls),
                Deduplicate = parse.GetValue(deduplicate),
                NearDuplicates = parse.GetValue(near),
                Threshold = parse.GetValue(threshold),
                Columns = SplitList(parse.GetValue(columns)),
                ValidateTypes = parse.GetValue(validate),
                NormalizeText = parse.GetValue(normalize),
                DropColumns = SplitList(parse.GetValue(drop)) ?? [],
                Profile = flags.Apply(parse, QualityCommands.ResolveProfile(parse.GetValue(profile), parse.GetValue(profileFile))),
                Delimiter = flags.Delimiter(parse),
                LabelColumn = parse.GetValue(label),
                DryRun = parse.GetValue(dryRun),
                RemovedPath = parse.GetValue(removed),
                Sink = new SinkOptions { Compression = codec, RowGroupRows = parse.GetValue(rowGroup) },
                MaxDegreeOfParallelism = parse.GetValue(threads),
            };
            if (!(options.RemoveNulls || options.Deduplicate || options.NearDuplicates || options.ValidateTypes || options.NormalizeText || options.DropColumns.Count > 0))
            {
                throw new UsageException("nothing to do: give at least one of --remove-nulls, --deduplicate, --near-duplicates, --validate-types, --normalize-text, --drop-columns");
            }

            var files = DatasetArguments.Local(parse.GetValue(inputs)!).ToArray();
            var silent = parse.GetValue(quiet) || parse.GetValue(json) || Console.IsErrorRedirected;
            CleanResult result;
            try
            {
                result = silent
                    ? DatasetCleaner.Clean(files, options)
                    : ProgressDisplay.Run("Cleaning", progress => DatasetCleaner.Clean(files, options with { Progress = new PhaseProgress(progress) }));
            }
            catch (ArgumentException ex)
            {
                throw new UsageException(ex.Message);
            }

            EmitSummary(ToJson(result), parse.GetValue(report), parse.GetValue(json), () => Render(result));
            return ExitCodes.Ok;
        });
        return command;
    }

    internal static ParquetCompression ParseCompression(string? value) => (value ?? "snappy").ToLowerInvariant() switch
    {
        "snappy" => ParquetCompression.Snappy,
        "zstd" => ParquetCompression.Zstd,
        "gzip" => ParquetCompression.Gzip,
        "lz4" => ParquetCompression.Lz4,
        "none" or "uncompressed" => ParquetCompression.None,
        var other => throw new UsageException($"--compression must be snappy, zstd, gzip, lz4 or none, got '{other}'"),
    };

    /// <summary>A transform's summary: to <c>--report FILE</c> when given, then as JSON or as text.</summary>
    internal static void EmitSummary(JsonObject summary, string? reportPath, bool json, Action render)
    {
        if (reportPath is not null)
        {
            AtomicFile.WriteAllText(reportPath, summary.ToJsonString(ReportWriters.JsonOptions) + "\n");
        }

        if (json)
        {
            Console.Out.WriteLine(summary.ToJsonString(ReportWriters.JsonOptions));
        }
        else
        {
            render();
        }
    }

    public static JsonObject ToJson(CleanResult r) => new()
    {
        ["schemaVersion"] = 1,
        ["inputs"] = new JsonArray(r.Inputs.Select(i => (JsonNode)i).ToArray()),
        ["output"] = r.Output,
        ["outputs"] = new JsonArray(r.Outputs.Select(i => (JsonNode)i).ToArray()),
        ["dryRun"] = r.DryRun,
        ["rowsIn"] = r.RowsIn,
        ["rowsOut"] = r.RowsOut,
        ["rowsRemoved"] = new JsonObject(r.RowsRemoved.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
        ["droppedColumns"] = new JsonArray(r.DroppedColumns.Select(c => (JsonNode)c).ToArray()),
        ["cellsChanged"] = new JsonArray(r.CellChanges.Select(c => (JsonNode)new JsonObject
        {
            ["step"] = c.Step,
            ["column"] = c.Column,
            ["changed"] = c.Changed,
            ["madeMissing"] = c.MadeMissing,
        }).ToArray()),
        ["nearDuplicateParameters"] = r.NearDuplicateParameters,
        ["removedFile"] = r.RemovedPath,
        ["before"] = ScoreJson(r.Before),
        ["after"] = ScoreJson(r.After),
    };

    internal static JsonObject ScoreJson(QualityReport q) => new()
    {
        ["score"] = q.Score,
        ["grade"] = q.Grade,
        ["publishable"] = q.Publishable,
        ["rows"] = q.Rows,
        ["dimensions"] = new JsonObject
        {
            ["completeness"] = q.Dimensions.Completeness.Score,
            ["uniqueness"] = q.Dimensions.Uniqueness.Score,
            ["consistency"] = q.Dimensions.Consistency.Score,
            ["schema"] = q.Dimensions.Schema.Score,
        },
        ["duplicates"] = q.Duplicates.Exact,
        ["criticalFailures"] = new JsonArray(q.CriticalFailures.Select(c => (JsonNode)c).ToArray()),
    };

    private static void Render(CleanResult r)
    {
        var o = Console.Out;
        var inv = CultureInfo.InvariantCulture;
        o.WriteLine(r.DryRun ? $"Dry run: nothing written (would write {r.Output})" : $"Cleaned {string.Join(", ", r.Inputs)} -> {string.Join(", ", r.Outputs)}");
        o.WriteLine(string.Create(inv, $"Rows: {r.RowsIn:N0} in, {r.RowsOut:N0} out"));
        foreach (var (reason, count) in r.RowsRemoved.Where(p => p.Value > 0))
        {
            o.WriteLine(string.Create(inv, $"- removed {count:N0} {reason} row{(count == 1 ? string.Empty : "s")}"));
        }

        if (r.DroppedColumns.Count > 0)
        {
            o.WriteLine($"- dropped columns: {string.Join(", ", r.DroppedColumns.Select(Semantics.ShellQuote.Of))}");
        }

        foreach (var c in r.CellChanges.Where(c => c.Changed > 0 || c.MadeMissing > 0))
        {
            o.WriteLine(string.Create(inv, $"- {c.Step}: {c.Column}: {c.Changed:N0} cells changed{(c.MadeMissing > 0 ? $", {c.MadeMissing:N0} could not be converted and are now missing" : string.Empty)}"));
        }

        if (r.RemovedPath is not null)
        {
            o.WriteLine($"Removed rows listed in {r.RemovedPath}");
        }

        o.WriteLine();
        o.WriteLine(string.Create(inv, $"Quality Score: {r.Before.Score:0.0}% (Grade {r.Before.Grade}) -> {r.After.Score:0.0}% (Grade {r.After.Grade})"));
        Line("Completeness", r.Before.Dimensions.Completeness, r.After.Dimensions.Completeness);
        Line("Uniqueness", r.Before.Dimensions.Uniqueness, r.After.Dimensions.Uniqueness);
        Line("Consistency", r.Before.Dimensions.Consistency, r.After.Dimensions.Consistency);
        Line("Schema", r.Before.Dimensions.Schema, r.After.Dimensions.Schema);

        void Line(string name, DimensionScore before, DimensionScore after) =>
            o.WriteLine(string.Create(inv, $"- {name}: {Percent(before.Score)} -> {Percent(after.Score)}"));
    }

    private static string Percent(double? score) => score is { } s ? s.ToString("0.#", CultureInfo.InvariantCulture) + "%" : "n/a";

    // '' alone names the column without a name (a trailing separator's), which a list could not otherwise name.
    private static IReadOnlyList<string>? SplitList(string? value) =>
        value switch
        {
            null => null,
            "" => [string.Empty],
            _ => value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
        };

    private sealed class PhaseProgress(IProgress<ScanProgress> target) : IProgress<CleanProgress>
    {
        public void Report(CleanProgress value) => target.Report(new ScanProgress(value.Rows, 0, value.TotalRows));
    }
}
