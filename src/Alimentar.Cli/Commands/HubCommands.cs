using System.CommandLine;
using Alimentar.Server;

namespace Alimentar.Cli.Commands;

/// <summary><c>alimentar hub serve</c> and <c>alimentar hub push</c>.</summary>
public static class HubCommands
{
    public static Command Build()
    {
        var hub = new Command("hub", "Publish to the Hugging Face Hub, or run a self-hosted Hub");
        hub.Subcommands.Add(BuildServe());
        hub.Subcommands.Add(PushCommand.Build());
        hub.Subcommands.Add(PullCommand.Build());
        return hub;
    }

    private static Command BuildServe()
    {
        var root = new Option<string>("--root") { Description = "Storage folder", DefaultValueFactory = _ => "./hub-data" };
        var port = new Option<int>("--port") { Description = "Port (0 picks a free one)", DefaultValueFactory = _ => 8080 };
        var host = new Option<string>("--host") { Description = "Address to bind", DefaultValueFactory = _ => "127.0.0.1" };
        var tokens = new Option<string[]>("--token") { Description = "An administrator token: every namespace, every repo (repeatable; must start with hf_ for the JS client)" };
        var tokensFile = new Option<string?>("--tokens-file") { Description = "File of 'TOKEN USER read|write|admin' lines: each user owns the namespace of their name" };
        var orgsFile = new Option<string?>("--orgs-file") { Description = "File of 'ORG USER read|write|admin' lines: organizations and their members' roles" };
        var publicUrl = new Option<string?>("--public-url") { Description = "Base URL to put in responses (default: the request's host)" };
        var multipartThreshold = new Option<long>("--multipart-threshold") { Description = "LFS objects above this many bytes upload in parts", DefaultValueFactory = _ => 100L * 1024 * 1024 };
        var chunkSize = new Option<long>("--chunk-size") { Description = "Multipart part size in bytes", DefaultValueFactory = _ => 64L * 1024 * 1024 };
        var pageSize = new Option<int>("--tree-page-size") { Description = "Tree listing page size", DefaultValueFactory = _ => 1000 };
        var maxJson = new Option<long>("--max-json-body") { Description = "Body limit of JSON endpoints in bytes", DefaultValueFactory = _ => 64L * 1024 * 1024 };
        var maxCommit = new Option<long>("--max-commit-body") { Description = "Body limit of the commit endpoint in bytes", DefaultValueFactory = _ => 1024L * 1024 * 1024 };
        var faults = new Option<string?>("--faults") { Description = "Fault-injection rules (JSON; see README). Off by default" };
        var command = new Command("serve", "Run a self-hosted Hub that the official clients can use")
        {
            root, port, host, tokens, tokensFile, orgsFile, publicUrl, multipartThreshold, chunkSize, pageSize, maxJson, maxCommit, faults,
        };
        command.SetAction(async (parse, cancel) =>
        {
            var options = new HubServerOptions
            {
                Root = parse.GetValue(root)!,
                Port = parse.GetValue(port),
                Host = parse.GetValue(host)!,
                Tokens = parse.GetValue(tokens) ?? [],
                TokensFile = parse.GetValue(tokensFile),
                OrganizationsFile = parse.GetValue(orgsFile),
                PublicUrl = parse.GetValue(publicUrl),
                MultipartThreshold = parse.GetValue(multipartThreshold),
                MultipartChunkSize = parse.GetValue(chunkSize),
                TreePageSize = parse.GetValue(pageSize),
                MaxJsonBodyBytes = parse.GetValue(maxJson),
                MaxCommitBodyBytes = parse.GetValue(maxCommit),
                FaultsFile = parse.GetValue(faults),
            };
            if (options.MultipartChunkSize < 5 * 1024 && options.MultipartChunkSize < options.MultipartThreshold / 10000)
            {
                throw new UsageException("--chunk-size is too small for --multipart-threshold (at most 10,000 parts)");
            }

            if (Server.Security.LocalToken.Find(options.Root) is not null)
            {
                await Console.Error.WriteLineAsync($"accepting the token in {Path.Combine(options.Root, Server.Security.LocalToken.FileName)} (created by publish --endpoint local)");
            }
            else if (options.Tokens.Count == 0 && options.TokensFile is null)
            {
                await Console.Error.WriteLineAsync("warning: no tokens given (--token or --tokens-file): the hub is read-only for everyone");
            }

            await using var server = await HubServer.StartAsync(options, cancel);
            Console.WriteLine($"Hub listening on {server.Url} (storage {options.Root})");
            await Console.Out.FlushAsync(cancel);
            try
            {
                await Task.Delay(Timeout.Infinite, cancel);
            }
            catch (OperationCanceledException)
            {
            }

            await server.StopAsync();
            return ExitCodes.Ok;
        });
        return command;
    }
}
