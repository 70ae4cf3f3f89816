using Alimentar.Data;
using Alimentar.Hub.Security;
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
        Console.Error.WriteLine("error: " + TokenRedactor.Redact(message.Split('\n')[0].Trim()));
        if (verbose)
        {
            Console.Error.WriteLine(TokenRedactor.Redact(inner.ToString()));
        }

        return ExitCodes.Usage;
    }
}

/// <summary>A mistake in how the command was called.</summary>
public sealed class UsageException(string message) : Exception(message);
