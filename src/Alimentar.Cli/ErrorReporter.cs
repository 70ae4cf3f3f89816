using Alimentar.Data;
using Alimentar.Quality.Profiles;

namespace Alimentar.Cli;

/// <summary>One-line errors on stderr; stack traces only with --verbose.</summary>
public static class ErrorReporter
{
    public static int Report(Exception ex, bool verbose)
    {
        var inner = ex is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0] : ex;
        var message = inner switch
        {
            DataReadException d => d.Message,
            ProfileException p => p.Message,
            UsageException u => u.Message,
            OperationCanceledException => "cancelled",
            _ => inner.Message,
        };
        Console.Error.WriteLine("error: " + Secrets.Redact(message.Split('\n')[0].Trim()));
        if (verbose)
        {
            Console.Error.WriteLine(Secrets.Redact(inner.ToString()));
        }

        return inner is UsageException or DataReadException or ProfileException ? ExitCodes.Usage : ExitCodes.Usage;
    }
}

/// <summary>A mistake in how the command was called.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>Removes anything that looks like a Hub token from text before it is printed.</summary>
public static class Secrets
{
    private static readonly System.Text.RegularExpressions.Regex TokenPattern = new(@"hf_[A-Za-z0-9_\-]{4,}", System.Text.RegularExpressions.RegexOptions.Compiled);

    public static string Redact(string text) => TokenPattern.Replace(text, "hf_***");
}
