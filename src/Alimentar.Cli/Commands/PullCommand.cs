using System.CommandLine;
using System.Text.Json.Nodes;
using Alimentar.Hub.Client;
using Alimentar.Hub.Download;
using Alimentar.Hub.Security;
using Alimentar.Quality.Reports;

namespace Alimentar.Cli.Commands;

/// <summary><c>alimentar hub pull REPO</c>: one commit's files into the Hugging Face cache (or <c>--local-dir</c>), verified.</summary>
public static class PullCommand
{
    public static Command Build()
    {
        var repo = new Argument<string>("repo") { Description = "namespace/name of the repo" };
        var revision = new Option<string>("--revision") { Description = "Branch, tag or commit", DefaultValueFactory = _ => "main" };
        var include = new Option<string[]>("--include") { Description = "Only paths matching this pattern (fnmatch, as huggingface_hub's allow_patterns; repeatable)" };
        var exclude = new Option<string[]>("--exclude") { Description = "Skip paths matching this pattern (repeatable)" };
        var localDir = new Option<string?>("--local-dir") { Description = "Download into this folder instead of the Hugging Face cache" };
        var cacheDir = new Option<string?>("--cache-dir") { Description = "The cache (default: HF_HUB_CACHE, then $HF_HOME/hub, then ~/.cache/huggingface/hub)" };
        var repoType = new Option<string>("--repo-type") { Description = "dataset, model or space", DefaultValueFactory = _ => "dataset" };
        var token = new Option<string?>("--token") { Description = "Hub token (default: HF_TOKEN, then the token file); public repos need none" };
        var endpoint = new Option<string?>("--endpoint") { Description = "Hub URL (default: HF_ENDPOINT, then https://huggingface.co)" };
        var parallelism = new Option<int>("--parallelism") { Description = "Files downloaded at once", DefaultValueFactory = _ => 8 };
        var json = new Option<bool>("--json") { Description = "Print the files and where they are as JSON" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress" };
        var command = new Command("pull", "Download a repo at one commit into the Hugging Face cache (where huggingface_hub and datasets find it) or a folder")
        {
            repo, revision, include, exclude, localDir, cacheDir, repoType, token, endpoint, parallelism, json, quiet,
        };
        command.SetAction(async (parse, cancel) =>
        {
            var id = HubOptions.ParseRepo(parse.GetValue(repo)!, parse.GetValue(repoType)!);
            var client = Client(parse.GetValue(endpoint), parse.GetValue(token), parse.GetValue(CliApp.Verbose));
            using var hub = new HubClient(client);
            var options = new PullOptions
            {
                Revision = parse.GetValue(revision)!,
                Include = parse.GetValue(include) ?? [],
                Exclude = parse.GetValue(exclude) ?? [],
                LocalDir = parse.GetValue(localDir),
                Cache = parse.GetValue(cacheDir) is { } dir ? new HfCache(dir) : null,
                Parallelism = Math.Max(1, parse.GetValue(parallelism)),
            };
            var talk = !parse.GetValue(quiet) && !parse.GetValue(json) && !Console.IsErrorRedirected;
            PullResult result;
            try
            {
                result = await new SnapshotDownloader(hub).PullAsync(id, talk ? options with { Progress = new LineProgress() } : options, cancel);
            }
            catch (ArgumentException ex)
            {
                throw new UsageException(ex.Message);
            }
            catch (HubApiException ex)
            {
                return await HubOptions.ReportHubErrorAsync(ex, parse.GetValue(CliApp.Verbose));
            }

            if (parse.GetValue(json))
            {
                Console.WriteLine(new JsonObject
                {
                    ["repo"] = result.Repo.FullName,
                    ["revision"] = result.Revision,
                    ["commit"] = result.Commit,
                    ["destination"] = result.Destination,
                    ["bytesDownloaded"] = result.BytesDownloaded,
                    ["files"] = new JsonArray(result.Files.Select(f => (JsonNode)new JsonObject
                    {
                        ["path"] = f.Path,
                        ["size"] = f.Size,
                        ["etag"] = f.Etag,
                        ["local"] = f.LocalPath,
                        ["downloaded"] = f.Downloaded,
                    }).ToArray()),
                }.ToJsonString(ReportWriters.JsonOptions));
            }
            else
            {
                var fetched = result.Files.Count(f => f.Downloaded);
                Console.WriteLine($"{result.Repo}@{result.Revision} (commit {result.Commit[..Math.Min(12, result.Commit.Length)]}): {result.Files.Count} files, {fetched} downloaded ({result.BytesDownloaded:N0} bytes), {result.Files.Count - fetched} already there");
                Console.WriteLine(result.Destination);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    internal static HubClientOptions Client(string? endpoint, string? token, bool verbose)
    {
        string resolved;
        try
        {
            resolved = HubConfig.ResolveEndpoint(endpoint);
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message);
        }

        var resolvedToken = HubConfig.ResolveToken(token);
        if (resolvedToken is not null)
        {
            TokenRedactor.Register(resolvedToken);
        }

        return new HubClientOptions
        {
            Endpoint = resolved,
            Token = resolvedToken,
            Log = verbose ? m => Console.Error.WriteLine(TokenRedactor.Redact(m)) : null,
            RetryNotice = verbose ? null : m => Console.Error.WriteLine(TokenRedactor.Redact(m)),
        };
    }

    // One line per finished file on stderr: enough for a terminal and for a log.
    private sealed class LineProgress : IProgress<TransferProgress>
    {
        public void Report(TransferProgress value)
        {
            if (value.Stage == "done")
            {
                Console.Error.WriteLine($"  {value.Path} ({value.Total:N0} bytes)");
            }
        }
    }
}
