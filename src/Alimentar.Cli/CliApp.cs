using System.CommandLine;
using Alimentar.Cli.Commands;

namespace Alimentar.Cli;

/// <summary>Builds the command tree and maps failures onto exit codes: 2 for usage errors and bad input.</summary>
public static class CliApp
{
    public static readonly Option<bool> Verbose = new("--verbose") { Description = "Show stack traces and request details on errors", Recursive = true };

    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("alimentar: score, clean, augment and publish machine-learning datasets");
        root.Options.Add(Verbose);
        root.Subcommands.Add(QualityCommands.Build());
        root.Subcommands.Add(CleanCommand.Build());
        root.Subcommands.Add(AugmentCommand.Build());
        root.Subcommands.Add(PublishCommand.Build());
        root.Subcommands.Add(CardCommands.Build());
        root.Subcommands.Add(HubCommands.Build());

        // Bare `alimentar` is someone looking for the commands: show them, as git and hf do.
        var parse = root.Parse(args.Length == 0 ? ["--help"] : args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await Console.Error.WriteLineAsync($"error: {error.Message}");
            }

            await Console.Error.WriteLineAsync("Run 'alimentar --help' for usage.");
            return ExitCodes.Usage;
        }

        var verbose = parse.GetValue(Verbose);
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception ex)
        {
            return ErrorReporter.Report(ex, verbose);
        }
    }
}

public static class ExitCodes
{
    public const int Ok = 0;
    public const int BelowGate = 1;
    public const int Usage = 2;
}
