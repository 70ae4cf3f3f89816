using System.CommandLine;
using Alimentar.Cli.Commands;

namespace Alimentar.Cli;

/// <summary>Builds the command tree and maps failures onto exit codes: 2 for usage errors and bad input.</summary>
public static partial class CliApp
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
        var problem = parse.Errors.Count > 0 ? Explain(parse) : UnknownOption(parse);
        if (problem is not null)
        {
            await Console.Error.WriteLineAsync($"error: {problem}");
            var path = string.Join(' ', Ancestry(parse.CommandResult.Command).Skip(1).Select(c => c.Name));
            await Console.Error.WriteLineAsync($"Run 'alimentar {(path.Length > 0 ? path + " " : string.Empty)}--help' for usage.");
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

public static partial class CliApp
{
    // One line for the first problem, in words: a mistyped command with the closest one, a value that is not of the
    // option's type without the .NET type's name.
    private static string Explain(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        var unknown = parse.UnmatchedTokens.FirstOrDefault() ?? parse.Errors.Select(e => UnrecognizedToken().Match(e.Message)).FirstOrDefault(m => m.Success)?.Groups[1].Value;
        if (unknown is not null && command.Subcommands.Count > 0 && !unknown.StartsWith('-'))
        {
            var names = command.Subcommands.Select(c => c.Name).ToList();
            return $"unknown command '{unknown}'{Suggest(unknown, names)}";
        }

        if (unknown is not null && unknown.StartsWith('-'))
        {
            return $"unknown option '{unknown}'{Suggest(unknown, OptionNames(command))}";
        }

        var first = parse.Errors[0].Message;
        var typed = TypeError().Match(first);
        if (typed.Success)
        {
            var type = typed.Groups[3].Value;
            var expected = type.Contains("Double", StringComparison.Ordinal) ? "a number" : type.Contains("Int", StringComparison.Ordinal) ? "a whole number" : type.Contains("Boolean", StringComparison.Ordinal) ? "true or false" : "a value of another kind";
            return $"{typed.Groups[2].Value}: '{typed.Groups[1].Value}' is not {expected}";
        }

        return first;
    }

    // A token like --jsn that the command took as a file name: an option nobody has.
    private static string? UnknownOption(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        var options = OptionNames(command);
        foreach (var token in parse.Tokens.Where(t => t.Type == System.CommandLine.Parsing.TokenType.Argument && t.Value.StartsWith("--", StringComparison.Ordinal) && t.Value.Length > 2))
        {
            if (!File.Exists(token.Value) && !Directory.Exists(token.Value) && !options.Contains(token.Value))
            {
                return $"unknown option '{token.Value}'{Suggest(token.Value, options)}";
            }
        }

        return null;
    }

    private static List<string> OptionNames(Command command) =>
        Ancestry(command).SelectMany(c => c.Options).SelectMany(o => o.Aliases.Prepend(o.Name)).Where(n => n.StartsWith('-')).Distinct().ToList();

    private static IEnumerable<Command> Ancestry(Command command)
    {
        var chain = new List<Command>();
        for (Command? c = command; c is not null; c = c.Parents.OfType<Command>().FirstOrDefault())
        {
            chain.Insert(0, c);
        }

        return chain;
    }

    private static string Suggest(string value, IReadOnlyList<string> candidates)
    {
        var closest = EditDistance.Closest(candidates, value);
        return closest is not null && EditDistance.Between(closest.ToLowerInvariant(), value.ToLowerInvariant()) <= Math.Max(2, value.Length / 3) ? $" (did you mean '{closest}'?)" : string.Empty;
    }

    [System.Text.RegularExpressions.GeneratedRegex("^Unrecognized command or argument '(.*)'")]
    private static partial System.Text.RegularExpressions.Regex UnrecognizedToken();

    [System.Text.RegularExpressions.GeneratedRegex("^Cannot parse argument '(.*)' for option '(.*)' as expected type '(.*)'")]
    private static partial System.Text.RegularExpressions.Regex TypeError();
}

public static class ExitCodes
{
    public const int Ok = 0;
    public const int BelowGate = 1;
    public const int Usage = 2;
}
