using System.CommandLine;
using Alimentar.Hub.Client;
using Alimentar.Hub.Repos;
using Alimentar.Hub.Security;
using Alimentar.Pipelines.Publishing;

namespace Alimentar.Cli.Commands;

/// <summary>Where and as whom a command writes to the Hub: token, endpoint (<c>local</c> for the embedded hub), branch, privacy, commit title.</summary>
internal sealed class HubOptions
{
    private HubOptions()
    {
    }

    public Option<string?> Token { get; } = new("--token") { Description = "Hub token (default: HF_TOKEN, HUGGING_FACE_HUB_TOKEN, then the token file under HF_HOME)" };

    public Option<string?> Endpoint { get; } = new("--endpoint") { Description = "Hub URL, or 'local' for an embedded hub in a per-user folder (default: HF_ENDPOINT, then https://huggingface.co)" };

    public Option<bool> Private { get; } = new("--private") { Description = "Create the repo as private" };

    public Option<string> Revision { get; } = new("--revision") { Description = "Branch to commit to", DefaultValueFactory = _ => "main" };

    public Option<string?> Message { get; } = new("--message", "-m") { Description = "Commit title" };

    public static HubOptions Create() => new();

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Token, Endpoint, Private, Revision, Message })
        {
            command.Options.Add(option);
        }
    }

    public static RepoId ParseRepo(string text, string type)
    {
        try
        {
            return RepoId.Parse(text, RepoId.TypeFromSegment(type) ?? RepoType.Dataset);
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message);
        }
    }

    /// <summary>The client settings; a dry run may go without a token (it only reads).</summary>
    public HubClientOptions ResolveClient(ParseResult parse, bool dryRun)
    {
        var requested = parse.GetValue(Endpoint) ?? Environment.GetEnvironmentVariable("HF_ENDPOINT");
        if (LocalHub.IsLocal(requested))
        {
            return new HubClientOptions { Endpoint = LocalHub.EndpointName, Log = Log(parse), RetryNotice = Notice(parse) };
        }

        string endpoint;
        try
        {
            endpoint = HubConfig.ResolveEndpoint(parse.GetValue(Endpoint));
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message);
        }

        var token = HubConfig.ResolveToken(parse.GetValue(Token));
        if (token is null && !dryRun)
        {
            throw new UsageException("no Hugging Face token: set HF_TOKEN (export HF_TOKEN=hf_...), pass --token, or run `hf auth login`; or try it with --endpoint local");
        }

        if (token is not null)
        {
            TokenRedactor.Register(token);
        }

        return new HubClientOptions { Endpoint = endpoint, Token = token, Log = Log(parse), RetryNotice = Notice(parse) };
    }

    public static async Task<int> ReportHubErrorAsync(HubApiException ex, bool verbose)
    {
        await Console.Error.WriteLineAsync("error: " + TokenRedactor.Redact(ex.Message));
        if (verbose)
        {
            await Console.Error.WriteLineAsync(TokenRedactor.Redact(ex.ToString()));
        }

        return PushCommand.HubError;
    }

    // Retries are said on stderr even without --verbose (which logs them already).
    private static Action<string>? Notice(ParseResult parse) =>
        parse.GetValue(CliApp.Verbose) ? null : m => Console.Error.WriteLine(TokenRedactor.Redact(m));

    private static Action<string>? Log(ParseResult parse) =>
        parse.GetValue(CliApp.Verbose) ? m => Console.Error.WriteLine(TokenRedactor.Redact(m)) : null;
}
