using System.CommandLine;
using System.Text.Json.Nodes;
using Alimentar.Cli.Rendering;
using Alimentar.Data;
using Alimentar.Quality;
using Alimentar.Quality.Profiles;
using Alimentar.Quality.Reports;

namespace Alimentar.Cli.Commands;

/// <summary><c>alimentar quality score</c> and <c>alimentar quality profiles</c>.</summary>
public static class QualityCommands
{
    public static Command Build()
    {
        var quality = new Command("quality", "Score a dataset's quality before publishing");
        quality.Subcommands.Add(BuildScore());
        quality.Subcommands.Add(BuildProfiles());
        return quality;
    }

    public static QualityProfile ResolveProfile(string? name, string? file)
    {
        if (file is not null)
        {
            if (name is not null)
            {
                throw new UsageException("use either --profile or --profile-file, not both");
            }

            return ProfileLoader.LoadFile(file);
        }

        if (name is null)
        {
            return BuiltInProfiles.Default;
        }

        return BuiltInProfiles.Find(name)
            ?? throw new UsageException($"unknown profile '{name}' (built in: {string.Join(", ", BuiltInProfiles.All.Select(p => p.Name))}; or use --profile-file)");
    }

    public static Grade ParseGrade(string text) => text.Trim().ToUpperInvariant() switch
    {
        "A" => Grade.A,
        "B" => Grade.B,
        "C" => Grade.C,
        "D" => Grade.D,
        _ => throw new UsageException($"--min-grade must be A, B, C or D, got '{text}'"),
    };

    private static Command BuildScore()
    {
        var inputs = new Argument<string[]>("inputs") { Description = "Parquet, CSV, TSV, JSON, JSONL or Arrow files, folders or globs (together one dataset)", Arity = ArgumentArity.OneOrMore };
        var profile = new Option<string?>("--profile") { Description = "Built-in profile: default, ml-training, doctest-corpus, code-translation" };
        var profileFile = new Option<string?>("--profile-file") { Description = "Custom profile from a YAML file" };
        var label = new Option<string?>("--label-column") { Description = "Label column (ml-training)" };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON (schema in README)" };
        var minGrade = new Option<string>("--min-grade") { Description = "Lowest passing grade (exit 1 below it)", DefaultValueFactory = _ => "B" };
        var minScore = new Option<double?>("--min-score") { Description = "Lowest passing score, 0-100" };
        var reports = new Option<string[]>("--report") { Description = "Also write the report to FILE (.md, .html, .junit.xml or .json); repeatable", AllowMultipleArgumentsPerToken = false };
        var near = new Option<bool>("--near-duplicates") { Description = "Detect near-duplicate rows (MinHash-LSH with verification) in text/code columns" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress bar" };
        var threads = new Option<int?>("--threads") { Description = "Worker threads (default: all cores)" };

        var flags = new ProfileFlags();
        var command = new Command("score", "Score a dataset: 0-100 %, grade A-D, findings with fixes")
        {
            inputs, profile, profileFile, label, json, minGrade, minScore, reports, near, quiet, threads,
        };
        foreach (var option in flags.Options)
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            var chosen = flags.Apply(parse, ResolveProfile(parse.GetValue(profile), parse.GetValue(profileFile)));
            var score = parse.GetValue(minScore);
            if (score is < 0 or > 100)
            {
                throw new UsageException("--min-score must be between 0 and 100");
            }

            var reportPaths = parse.GetValue(reports) ?? [];
            foreach (var path in reportPaths)
            {
                _ = ReportFormatOf(path);
            }

            var options = new QualityOptions
            {
                Profile = chosen,
                LabelColumn = parse.GetValue(label),
                NearDuplicates = parse.GetValue(near),
                Delimiter = flags.Delimiter(parse),
                MinGrade = ParseGrade(parse.GetValue(minGrade) ?? "B"),
                MinScore = score,
                MaxDegreeOfParallelism = parse.GetValue(threads),
            };
            var report = ScoreWithProgress(DatasetArguments.Local(parse.GetValue(inputs)!).ToArray(), options, parse.GetValue(quiet) || parse.GetValue(json));
            foreach (var path in reportPaths)
            {
                AtomicFile.WriteAllText(path, ReportFormatOf(path) switch
                {
                    "md" => ReportWriters.ToMarkdown(report),
                    "html" => ReportWriters.ToHtml(report),
                    "junit" => ReportWriters.ToJUnit(report),
                    _ => ReportWriters.ToJson(report),
                });
            }

            if (parse.GetValue(json))
            {
                Console.Out.Flush();
                using var stdout = Console.OpenStandardOutput();
                ReportWriters.WriteJson(report, stdout);
                stdout.Write("\n"u8);
            }
            else
            {
                QualityReportRenderer.Render(report);
            }

            return report.Publishable ? ExitCodes.Ok : ExitCodes.BelowGate;
        });
        return command;
    }

    private static string ReportFormatOf(string path)
    {
        var lower = path.ToLowerInvariant();
        if (lower.EndsWith(".junit.xml", StringComparison.Ordinal) || lower.EndsWith(".xml", StringComparison.Ordinal))
        {
            return "junit";
        }

        return Path.GetExtension(lower) switch
        {
            ".md" or ".markdown" => "md",
            ".html" or ".htm" => "html",
            ".json" => "json",
            _ => throw new UsageException($"--report {path}: unknown report format (use .md, .html, .junit.xml or .json)"),
        };
    }

    public static QualityReport ScoreWithProgress(IReadOnlyList<string> inputs, QualityOptions options, bool quiet)
    {
        if (quiet || Console.IsErrorRedirected)
        {
            return QualityChecker.Score(inputs, options);
        }

        return ProgressDisplay.Run("Scoring", (IProgress<ScanProgress> progress) => QualityChecker.Score(inputs, options with { Progress = progress }));
    }

    private static Command BuildProfiles()
    {
        var json = new Option<bool>("--json") { Description = "Print as JSON" };
        var command = new Command("profiles", "List built-in profiles with their weights and rules") { json };
        command.SetAction(parse =>
        {
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(new JsonArray(BuiltInProfiles.All.Select(ProfileView).ToArray()).ToJsonString(ReportWriters.JsonOptions));
                return ExitCodes.Ok;
            }

            QualityReportRenderer.RenderProfiles(BuiltInProfiles.All);
            return ExitCodes.Ok;
        });
        return command;
    }

    // Built as JSON nodes: no reflection, so the listing also works in the ahead-of-time compiled CLI.
    private static JsonNode ProfileView(QualityProfile p) => new JsonObject
    {
        ["name"] = p.Name,
        ["description"] = p.Description,
        ["weights"] = new JsonObject { ["completeness"] = p.Weights.Completeness, ["uniqueness"] = p.Weights.Uniqueness, ["consistency"] = p.Weights.Consistency, ["schema"] = p.Weights.Schema },
        ["requiredColumns"] = Strings(p.RequiredColumns),
        ["criticalColumns"] = Strings(p.CriticalColumns),
        ["nullableColumns"] = Strings(p.NullableColumns),
        ["keyColumns"] = Strings(p.KeyColumns),
        ["codeColumns"] = Strings(p.CodeColumns),
        ["textColumns"] = Strings(p.TextColumns),
        ["expectedConstantColumns"] = Strings(p.ExpectedConstantColumns),
        ["nullTokens"] = Strings(p.NullTokens),
        ["nullTokensOffColumns"] = Strings(p.NullTokensOffColumns),
        ["whitespaceChecks"] = p.WhitespaceChecks,
        ["whitespaceOffColumns"] = Strings(p.WhitespaceOffColumns),
        ["patterns"] = new JsonArray(p.Patterns.Select(x => (JsonNode)new JsonObject
        {
            ["column"] = x.Column,
            ["regex"] = x.Regex,
            ["allowed"] = x.Allowed is null ? null : Strings(x.Allowed),
            ["minLength"] = x.MinLength,
            ["maxLength"] = x.MaxLength,
        }).ToArray()),
        ["maxDuplicateRate"] = p.MaxDuplicateRate,
        ["duplicatesCritical"] = p.DuplicatesCritical,
        ["nearDuplicateFactor"] = p.NearDuplicateFactor,
        ["nearDuplicateThreshold"] = p.NearDuplicateThreshold,
        ["codeFilters"] = p.CodeFilters,
        ["labelSanity"] = p.LabelSanity,
    };

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode)v).ToArray());
}
