using System.CommandLine;
using System.Text.Json.Nodes;
using Alimentar.Cli.Rendering;
using Alimentar.Hub.Client;
using Alimentar.Hub.Publishing;
using Alimentar.Hub.Repos;
using Alimentar.Pipelines.Publishing;
using Alimentar.Quality.Reports;

namespace Alimentar.Cli.Commands;

/// <summary><c>alimentar hub push SOURCE REPO</c>: quality gate, card check, one commit.</summary>
public static class PushCommand
{
    public const int HubError = 3;

    public static Command Build()
    {
        var source = new Argument<string>("source") { Description = "A file or a folder to upload" };
        var repo = new Argument<string>("repo") { Description = "namespace/name of the Hub repo" };
        var pathInRepo = new Option<string?>("--path-in-repo") { Description = "Path of the file in the repo (for a folder: a prefix)" };
        var readme = new Option<string?>("--readme") { Description = "Dataset card to upload as README.md (validated first)" };
        var message = new Option<string?>("--message", "-m") { Description = "Commit title" };
        var description = new Option<string?>("--description") { Description = "Commit description" };
        var include = new Option<string[]>("--include") { Description = "Only files matching this glob (repeatable)" };
        var exclude = new Option<string[]>("--exclude") { Description = "Skip files matching this glob (repeatable)" };
        var isPrivate = new Option<bool>("--private") { Description = "Create the repo as private" };
        var revision = new Option<string>("--revision") { Description = "Branch to commit to", DefaultValueFactory = _ => "main" };
        var createPr = new Option<bool>("--create-pr") { Description = "Open a pull request instead of committing to the branch" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Do everything except writing; say what would be sent" };
        var json = new Option<bool>("--json") { Description = "Print a JSON summary" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress bars" };
        var token = new Option<string?>("--token") { Description = "Hub token (default: HF_TOKEN, HUGGING_FACE_HUB_TOKEN, then the token file under HF_HOME)" };
        var endpoint = new Option<string?>("--endpoint") { Description = "Hub URL (default: HF_ENDPOINT, then https://huggingface.co)" };
        var repoType = new Option<string>("--repo-type") { Description = "dataset, model or space", DefaultValueFactory = _ => "dataset" };
        var profile = new Option<string?>("--profile") { Description = "Quality profile for the gate" };
        var profileFile = new Option<string?>("--profile-file") { Description = "Custom quality profile (YAML)" };
        var minGrade = new Option<string>("--min-grade") { Description = "Lowest grade allowed to publish", DefaultValueFactory = _ => "B" };
        var skipGate = new Option<bool>("--skip-quality-gate") { Description = "Publish even below the gate (recorded in the commit)" };
        var parallelism = new Option<int>("--parallelism") { Description = "Multipart parts uploaded at once", DefaultValueFactory = _ => 4 };

        var command = new Command("push", "Upload a dataset to the Hub in one commit, behind a quality gate")
        {
            source, repo, pathInRepo, readme, message, description, include, exclude, isPrivate, revision, createPr, dryRun, json, quiet,
            token, endpoint, repoType, profile, profileFile, minGrade, skipGate, parallelism,
        };
        command.SetAction(async (parse, cancel) =>
        {
            var type = RepoId.TypeFromSegment(parse.GetValue(repoType)!) ?? throw new UsageException("--repo-type must be dataset, model or space");
            RepoId id;
            try
            {
                id = RepoId.Parse(parse.GetValue(repo)!, type);
            }
            catch (ArgumentException ex)
            {
                throw new UsageException(ex.Message);
            }

            var rev = parse.GetValue(revision)!;
            if (RepoPaths.ValidateRevision(rev) is { } revProblem)
            {
                throw new UsageException($"--revision '{rev}': {revProblem}");
            }

            string resolvedEndpoint;
            try
            {
                resolvedEndpoint = HubConfig.ResolveEndpoint(parse.GetValue(endpoint));
            }
            catch (ArgumentException ex)
            {
                throw new UsageException(ex.Message);
            }

            var resolvedToken = HubConfig.ResolveToken(parse.GetValue(token))
                ?? throw new UsageException("no Hugging Face token: set HF_TOKEN (export HF_TOKEN=hf_...), pass --token, or run `hf auth login`");
            Hub.Security.TokenRedactor.Register(resolvedToken);
            var options = new PushOptions
            {
                Repo = id,
                Source = parse.GetValue(source)!,
                PathInRepo = parse.GetValue(pathInRepo),
                Readme = parse.GetValue(readme),
                Message = parse.GetValue(message),
                Description = parse.GetValue(description) ?? string.Empty,
                Include = parse.GetValue(include) ?? [],
                Exclude = parse.GetValue(exclude) ?? [],
                Private = parse.GetValue(isPrivate),
                Revision = rev,
                CreatePullRequest = parse.GetValue(createPr),
                DryRun = parse.GetValue(dryRun),
            };
            var gate = new QualityPushGate
            {
                Profile = QualityCommands.ResolveProfile(parse.GetValue(profile), parse.GetValue(profileFile)),
                MinGrade = QualityCommands.ParseGrade(parse.GetValue(minGrade)!),
                Skip = parse.GetValue(skipGate),
                Warn = w => Console.Error.WriteLine(w),
            };
            var asJson = parse.GetValue(json);
            var showProgress = !parse.GetValue(quiet) && !asJson && !Console.IsErrorRedirected;
            var verbose = parse.GetValue(CliApp.Verbose);
            using var client = new HubClient(new HubClientOptions
            {
                Endpoint = resolvedEndpoint,
                Token = resolvedToken,
                Parallelism = Math.Max(1, parse.GetValue(parallelism)),
                Log = verbose ? m => Console.Error.WriteLine(Hub.Security.TokenRedactor.Redact(m)) : null,
                RetryNotice = verbose || parse.GetValue(quiet) ? null : m => Console.Error.WriteLine(Hub.Security.TokenRedactor.Redact(m)),
            });
            var service = new PushService(client) { Warn = w => Console.Error.WriteLine(w), Gate = gate };
            PushResult result;
            try
            {
                result = showProgress
                    ? await TransferDisplay.RunAsync(client, () => service.PushAsync(options, cancel))
                    : await service.PushAsync(options, cancel);
            }
            catch (PushRefusedException ex)
            {
                await Console.Error.WriteLineAsync(ex.Message);
                return ExitCodes.BelowGate;
            }
            catch (HubApiException ex)
            {
                await Console.Error.WriteLineAsync("error: " + ex.Message);
                if (verbose)
                {
                    await Console.Error.WriteLineAsync(Hub.Security.TokenRedactor.Redact(ex.ToString()));
                }

                return HubError;
            }

            if (asJson)
            {
                Console.WriteLine(Summary(result, resolvedEndpoint).ToJsonString(ReportWriters.JsonOptions));
            }
            else
            {
                Render(result, resolvedEndpoint);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    // Built as JSON nodes: no reflection, so it also works in the ahead-of-time compiled CLI.
    private static JsonNode Summary(PushResult result, string endpoint)
    {
        var last = result.Commits.LastOrDefault();
        var outcomes = result.Commits.SelectMany(c => c.Files).GroupBy(f => f.Path).ToDictionary(g => g.Key, g => g.Last());
        return new JsonObject
        {
            ["repo"] = result.Repo.FullName,
            ["repoType"] = result.Repo.Type.ToString().ToLowerInvariant(),
            ["revision"] = result.Revision,
            ["dryRun"] = result.DryRun,
            ["repoCreated"] = result.RepoCreated,
            ["commitOid"] = last?.CommitOid,
            ["commitUrl"] = last?.CommitUrl,
            ["pullRequestUrl"] = last?.PullRequestUrl,
            ["commits"] = new JsonArray(result.Commits.Select(c => (JsonNode)new JsonObject { ["oid"] = c.CommitOid, ["url"] = c.CommitUrl, ["noOp"] = c.NoOp }).ToArray()),
            ["files"] = new JsonArray(result.Files.Select(f => (JsonNode)new JsonObject
            {
                ["path"] = f.PathInRepo,
                ["local"] = f.LocalPath,
                ["size"] = f.Size,
                ["mode"] = outcomes.TryGetValue(f.PathInRepo, out var o) ? o.Mode : null,
                ["sha256"] = outcomes.TryGetValue(f.PathInRepo, out var o2) ? o2.Sha256 : result.DryRunSha256.GetValueOrDefault(f.PathInRepo),
                ["action"] = result.DryRun ? "would-upload" : outcomes.TryGetValue(f.PathInRepo, out var o3) ? o3.Action : "unchanged",
            }).ToArray()),
            ["quality"] = new JsonArray(result.Quality.Select(q => (JsonNode)new JsonObject { ["path"] = q.Path, ["score"] = q.Score, ["grade"] = q.Grade, ["passed"] = q.Passed }).ToArray()),
            ["endpoint"] = endpoint,
        };
    }


    private static void Render(PushResult result, string endpoint)
    {
        foreach (var q in result.Quality)
        {
            Console.WriteLine($"Quality: {q.Path}: {q.Score:0.0}% (Grade {q.Grade}){(q.Passed ? string.Empty : " - below the gate")}");
        }

        if (result.DryRun)
        {
            Console.WriteLine($"Dry run: would {(result.RepoCreated ? "create " + result.Repo + " and " : string.Empty)}commit {result.Files.Count} file(s) to {result.Repo}@{result.Revision} on {endpoint}:");
            foreach (var f in result.Files)
            {
                Console.WriteLine($"  {f.PathInRepo}  {f.Size:N0} bytes  sha256 {result.DryRunSha256.GetValueOrDefault(f.PathInRepo)}");
            }

            return;
        }

        foreach (var commit in result.Commits)
        {
            foreach (var f in commit.Files)
            {
                Console.WriteLine($"  {f.Action,-14} {f.Mode,-8} {f.Path} ({f.Size:N0} bytes)");
            }
        }

        var last = result.Commits.Last();
        if (last.NoOp)
        {
            Console.WriteLine($"Nothing to commit: {result.Repo}@{result.Revision} already has these files ({last.CommitUrl})");
        }
        else if (last.PullRequestUrl is not null)
        {
            Console.WriteLine($"Opened pull request {last.PullRequestUrl} (commit {last.CommitUrl})");
        }
        else
        {
            Console.WriteLine($"Committed to {result.Repo}@{result.Revision}: {last.CommitUrl}");
        }
    }
}
