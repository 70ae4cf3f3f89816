using System.CommandLine;
using System.Text.Json.Nodes;
using Alimentar.Data;
using Alimentar.Hub.Cards;
using Alimentar.Pipelines.Cards;
using Alimentar.Pipelines.Publishing;
using Alimentar.Quality.Reports;

namespace Alimentar.Cli.Commands;

/// <summary><c>alimentar card generate</c> and <c>alimentar card validate</c>.</summary>
public static class CardCommands
{
    public static Command Build()
    {
        var card = new Command("card", "Write or check a dataset card (README.md) the Hub accepts");
        card.Subcommands.Add(BuildGenerate());
        card.Subcommands.Add(BuildValidate());
        return card;
    }

    private static Command BuildGenerate()
    {
        var inputs = new Argument<string[]>("inputs") { Description = "The dataset: files, folders or globs", Arity = ArgumentArity.OneOrMore };
        var repo = new Option<string?>("--repo") { Description = "namespace/name, for the title and the loading snippet" };
        var output = new Option<string?>("--output", "-o") { Description = "Where to write the card (an existing file keeps its prose and keys; default: standard output)" };
        var split = new Option<string?>("--split") { Description = "Every input is this split (default: from file names)" };
        var clean = new Option<string>("--clean") { Description = "As publish would: auto (below 70%), never, always", DefaultValueFactory = _ => "auto" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress lines" };
        var common = TransformOptions.Create();
        var keys = CardOptions.Create();
        var command = new Command("generate", "Write the card publish would write: metadata as datasets.push_to_hub writes it, the usual sections, a Data quality section")
        {
            inputs, repo, output, split, clean, quiet,
        };
        common.AddTo(command);
        keys.AddTo(command);
        command.SetAction(parse =>
        {
            var values = common.Read(parse);
            var target = parse.GetValue(output);
            var repoId = parse.GetValue(repo) is { } r ? HubOptions.ParseRepo(r, "dataset").FullName : null;
            var options = keys.Read(parse, new PublishOptions
            {
                Split = parse.GetValue(split),
                Profile = values.Profile,
                Delimiter = values.Delimiter,
                LabelColumn = values.LabelColumn,
                MinGrade = values.MinGrade,
                MinScore = values.MinScore,
                Clean = PublishCommand.ParseCleanMode(parse.GetValue(clean)!),
                SkipQualityGate = true,
                Sink = new Data.Writing.SinkOptions { Compression = values.Compression },
                MaxDegreeOfParallelism = values.Threads,
                Log = parse.GetValue(quiet) ? null : m => Console.Error.WriteLine(m),
            });
            string text;
            try
            {
                // The sizes in the card are those of the shards publish would write: they are written, measured and removed.
                using var prepared = DatasetPreparer.Prepare(DatasetArguments.Checked(parse.GetValue(inputs)!), options with { Warn = null });
                var existing = target is not null && File.Exists(target) ? File.ReadAllText(target) : null;
                text = CardBuilder.Build(prepared, repoId, options, existing);
            }
            catch (PublishRefusedException ex)
            {
                Console.Error.WriteLine(ex.Message);
                return ExitCodes.BelowGate;
            }
            catch (FormatException ex)
            {
                throw new UsageException($"{target}: {ex.Message}");
            }
            catch (ArgumentException ex)
            {
                throw new UsageException(ex.Message);
            }

            var validation = new DatasetCardValidator().Validate(text);
            foreach (var issue in validation.Issues)
            {
                Console.Error.WriteLine(issue.Format());
            }

            if (target is null)
            {
                Console.Out.Write(text);
            }
            else
            {
                AtomicFile.WriteAllText(target, text);
                Console.Error.WriteLine($"Wrote {target}");
            }

            return validation.IsValid ? ExitCodes.Ok : ExitCodes.BelowGate;
        });
        return command;
    }

    private static Command BuildValidate()
    {
        var file = new Argument<string>("readme") { Description = "The README.md to check" };
        var json = new Option<bool>("--json") { Description = "Print errors and warnings as JSON" };
        var files = new Option<string?>("--files") { Description = "A folder laid out as the repo will be: configs' data_files patterns must match its files" };
        var command = new Command("validate", "Check a dataset card's metadata against what the Hub accepts (the check hub push and publish run)") { file, json, files };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path))
            {
                throw new UsageException($"{path}: no such file");
            }

            IReadOnlyCollection<string>? repoFiles = null;
            if (parse.GetValue(files) is { } folder)
            {
                if (!Directory.Exists(folder))
                {
                    throw new UsageException($"--files {folder}: no such folder");
                }

                repoFiles = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/')).ToList();
            }

            var result = new DatasetCardValidator().Validate(File.ReadAllText(path), repoFiles);
            if (parse.GetValue(json))
            {
                var summary = new JsonObject
                {
                    ["file"] = path,
                    ["valid"] = result.IsValid,
                    ["errors"] = Issues(result.Errors),
                    ["warnings"] = Issues(result.Warnings),
                };
                Console.Out.WriteLine(summary.ToJsonString(ReportWriters.JsonOptions));
            }
            else if (result.Issues.Count == 0)
            {
                Console.Out.WriteLine($"{path}: valid");
            }
            else
            {
                foreach (var issue in result.Issues)
                {
                    Console.Out.WriteLine(issue.Format());
                    Console.Out.WriteLine();
                }

                Console.Out.WriteLine($"{path}: {result.Errors.Count()} error(s), {result.Warnings.Count()} warning(s)");
            }

            return result.IsValid ? ExitCodes.Ok : ExitCodes.BelowGate;
        });
        return command;
    }

    private static JsonArray Issues(IEnumerable<CardIssue> issues) => new(issues.Select(i => (JsonNode)new JsonObject
    {
        ["field"] = i.Field,
        ["message"] = i.Message,
        ["suggestions"] = new JsonArray(i.Suggestions.Select(s => (JsonNode)s).ToArray()),
    }).ToArray());
}
