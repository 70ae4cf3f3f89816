using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Alimentar.Data;
using Alimentar.Data.Writing;
using Alimentar.Hub.Client;
using Alimentar.Hub.Repos;
using Alimentar.Pipelines.Publishing;
using Alimentar.Quality.Reports;

namespace Alimentar.Cli.Commands;

/// <summary><c>alimentar publish SOURCE REPO</c>: score -> clean if needed -> gate -> shard -> card -> push.</summary>
public static class PublishCommand
{
    public static Command Build()
    {
        var source = new Argument<string>("source") { Description = "A file, folder or glob: one dataset (CSV, JSONL, JSON, Arrow and Parquet inputs become Parquet shards)" };
        var repo = new Argument<string>("repo") { Description = "namespace/name of the dataset repo" };
        var split = new Option<string?>("--split") { Description = "Publish every input as this split (default: from file and folder names; train when none is named)" };
        var readme = new Option<string?>("--readme") { Description = "Your README: its prose and keys are kept, the generated keys and sections refreshed (default: the repo's README)" };
        var clean = new Option<string>("--clean") { Description = "auto (clean when the score is below 70%), never, always", DefaultValueFactory = _ => "auto" };
        var maxShard = new Option<string>("--max-shard-size") { Description = "Most in-memory data per shard: 500MB (default, as datasets), 1GB, 100MiB, or bytes", DefaultValueFactory = _ => "500MB" };
        var common = TransformOptions.Create();
        var card = CardOptions.Create();
        var hub = HubOptions.Create();
        var dryRun = new Option<bool>("--dry-run") { Description = "Score, clean, shard and write the card; send nothing (no write request)" };
        var json = new Option<bool>("--json") { Description = "Print the whole record as JSON: scores, cleaning, files, card, commit" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress lines" };
        var skipGate = new Option<bool>("--skip-quality-gate") { Description = "Publish even below the gate (said in the card and the commit)" };

        var command = new Command("publish", "Publish a dataset to the Hub behind the quality gate: score, clean if needed, shard, write the card, push in one commit")
        {
            source, repo, split, readme, clean, maxShard, dryRun, json, quiet, skipGate,
        };
        common.AddTo(command);
        card.AddTo(command);
        hub.AddTo(command);
        command.SetAction(async (parse, cancel) =>
        {
            var id = HubOptions.ParseRepo(parse.GetValue(repo)!, "dataset");
            var rev = parse.GetValue(hub.Revision)!;
            if (RepoPaths.ValidateRevision(rev) is { } problem)
            {
                throw new UsageException($"--revision '{rev}': {problem}");
            }

            var asJson = parse.GetValue(json);
            var talk = !asJson && !parse.GetValue(quiet);
            var options = common.Read(parse) with { };
            var publish = card.Read(parse, new PublishOptions
            {
                Split = parse.GetValue(split),
                Readme = parse.GetValue(readme),
                Profile = options.Profile,
                Delimiter = options.Delimiter,
                LabelColumn = options.LabelColumn,
                MinGrade = options.MinGrade,
                MinScore = options.MinScore,
                Clean = ParseCleanMode(parse.GetValue(clean)!),
                SkipQualityGate = parse.GetValue(skipGate),
                MaxShardSize = ParseSize(parse.GetValue(maxShard)!, "--max-shard-size"),
                Sink = new SinkOptions { Compression = options.Compression },
                DryRun = parse.GetValue(dryRun),
                Private = parse.GetValue(hub.Private),
                Revision = rev,
                Message = parse.GetValue(hub.Message),
                MaxDegreeOfParallelism = options.Threads,
                Log = talk ? m => Console.Error.WriteLine(m) : null,
                Warn = m => Console.Error.WriteLine(m),
                CancellationToken = cancel,
            });
            if (publish.Readme is not null && !File.Exists(publish.Readme))
            {
                throw new UsageException($"--readme {publish.Readme}: no such file");
            }

            // A local source that is not there is the user's mistake, said before the Hub is contacted (with the Hub
            // unreachable, it was a minute of retries first).
            var inputs = DatasetArguments.Checked([parse.GetValue(source)!]);

            var client = hub.ResolveClient(parse, publish.DryRun);
            PublishResult result;
            try
            {
                result = await DatasetPublisher.PublishAsync(inputs, id, client, publish);
            }
            catch (PublishRefusedException ex)
            {
                await Console.Error.WriteLineAsync(ex.Message);
                return ExitCodes.BelowGate;
            }
            catch (ArgumentException ex)
            {
                throw new UsageException(ex.Message);
            }
            catch (HubApiException ex)
            {
                return await HubOptions.ReportHubErrorAsync(ex, parse.GetValue(CliApp.Verbose));
            }

            if (asJson)
            {
                Console.WriteLine(ToJson(result).ToJsonString(ReportWriters.JsonOptions));
            }
            else
            {
                Render(result);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    internal static CleanMode ParseCleanMode(string text) => text.Trim().ToLowerInvariant() switch
    {
        "auto" => CleanMode.Auto,
        "never" => CleanMode.Never,
        "always" => CleanMode.Always,
        _ => throw new UsageException($"--clean must be auto, never or always, got '{text}'"),
    };

    /// <summary>"500MB" (10^6, as datasets reads it), "100MiB" (2^20), "2GB", "1024" bytes.</summary>
    internal static long ParseSize(string text, string option)
    {
        var t = text.Trim();
        var units = new (string Suffix, long Factor)[] { ("KiB", 1L << 10), ("MiB", 1L << 20), ("GiB", 1L << 30), ("TiB", 1L << 40), ("KB", 1000), ("MB", 1000_000), ("GB", 1000_000_000), ("TB", 1000_000_000_000), ("K", 1000), ("M", 1000_000), ("G", 1000_000_000), ("B", 1) };
        foreach (var (suffix, factor) in units)
        {
            if (t.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && double.TryParse(t[..^suffix.Length].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n > 0)
            {
                return (long)(n * factor);
            }
        }

        return long.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out var bytes) && bytes > 0
            ? bytes
            : throw new UsageException($"{option} must be a size such as 500MB, 1GB or 100MiB, got '{text}'");
    }

    internal static JsonObject ToJson(PublishResult r) => new()
    {
        ["schemaVersion"] = 1,
        ["repo"] = r.Repo.FullName,
        ["revision"] = r.Revision,
        ["endpoint"] = r.Endpoint,
        ["localStorage"] = r.LocalStorage,
        ["dryRun"] = r.DryRun,
        ["inputs"] = new JsonArray(r.Inputs.Select(i => (JsonNode)i).ToArray()),
        ["before"] = CleanCommand.ScoreJson(r.Before),
        ["cleaned"] = r.Cleaning is not null,
        ["cleanDecision"] = r.CleanDecision,
        ["cleaning"] = r.Cleaning is null ? null : CleanCommand.ToJson(r.Cleaning),
        ["after"] = r.After is null ? null : CleanCommand.ScoreJson(r.After),
        ["score"] = r.Final.Score,
        ["grade"] = r.Final.Grade,
        ["profile"] = r.Final.Profile,
        ["files"] = new JsonArray(r.Files.Select(f => (JsonNode)new JsonObject
        {
            ["path"] = f.PathInRepo,
            ["split"] = f.Split,
            ["rows"] = f.Split is null ? null : f.Rows,
            ["numBytes"] = f.Split is null ? null : f.NumBytes,
            ["size"] = f.Size,
            ["sha256"] = f.Sha256,
        }).ToArray()),
        ["deleted"] = new JsonArray(r.Deleted.Select(d => (JsonNode)d).ToArray()),
        ["splits"] = new JsonArray(r.Info.Splits.Select(s => (JsonNode)new JsonObject { ["name"] = s.Name, ["numExamples"] = s.NumExamples, ["numBytes"] = s.NumBytes }).ToArray()),
        ["downloadSize"] = r.Info.DownloadSize,
        ["datasetSize"] = r.Info.DatasetSize,
        ["card"] = r.Card,
        ["cardIssues"] = new JsonArray(r.CardIssues.Select(i => (JsonNode)new JsonObject { ["field"] = i.Field, ["message"] = i.Message, ["error"] = i.IsError }).ToArray()),
        ["commit"] = r.Commit is null ? null : new JsonObject
        {
            ["oid"] = r.Commit.CommitOid,
            ["url"] = r.Commit.CommitUrl,
            ["title"] = r.CommitTitle,
            ["description"] = r.CommitDescription,
            ["noOp"] = r.Commit.NoOp,
        },
        ["commitTitle"] = r.CommitTitle,
        ["commitDescription"] = r.CommitDescription,
    };

    private static void Render(PublishResult r)
    {
        var o = Console.Out;
        var inv = CultureInfo.InvariantCulture;
        o.WriteLine(string.Create(inv, $"Quality: {r.Before.Score:0.0}% (Grade {r.Before.Grade}), profile {r.Before.Profile}"));
        if (r.Cleaning is { } cleaning)
        {
            o.WriteLine($"Cleaned ({r.CleanDecision}): {Pipelines.Cards.CardBuilder.Cleaned(cleaning)}");
            o.WriteLine(string.Create(inv, $"Quality after cleaning: {r.Final.Score:0.0}% (Grade {r.Final.Grade})"));
        }

        o.WriteLine(r.DryRun
            ? $"Dry run: would commit to {r.Repo}@{r.Revision}{(r.RepoCreated ? " (creating the repo)" : string.Empty)}: \"{r.CommitTitle}\""
            : $"Published to {r.Repo}@{r.Revision}: \"{r.CommitTitle}\"");
        foreach (var f in r.Files)
        {
            var what = f.Split is null ? "dataset card" : string.Create(inv, $"{f.Split}, {f.Rows:N0} rows");
            o.WriteLine(string.Create(inv, $"  {f.PathInRepo,-40} {what,-22} {f.Size,12:N0} bytes"));
        }

        foreach (var d in r.Deleted)
        {
            o.WriteLine($"  {d,-40} {(r.DryRun ? "would delete" : "deleted")} (no longer part of the dataset)");
        }

        if (r.Commit is { } commit)
        {
            if (r.LocalStorage is { } storage)
            {
                o.WriteLine($"Commit {commit.CommitOid[..Math.Min(12, commit.CommitOid.Length)]} in the local hub at {storage}");
                o.WriteLine($"Serve it to any Hugging Face client: alimentar hub serve --root {storage}   then HF_ENDPOINT=http://127.0.0.1:8080");
            }
            else
            {
                o.WriteLine(commit.NoOp ? $"Nothing changed: {commit.CommitUrl}" : $"Commit: {commit.CommitUrl}");
            }
        }
    }
}
