using System.Text.Json;

namespace Alimentar.Server.Endpoints;

/// <summary>Exceptions that mean the request was malformed (a JSON body of the wrong shape, a number out of range, bad base64), answered 400 rather than 500.</summary>
internal static class RequestErrors
{
    public static bool IsMalformedRequest(Exception ex) => ex switch
    {
        JsonException or FormatException or OverflowException or System.Text.DecoderFallbackException => true,

        // JsonElement's accessors on the wrong kind of value, or a missing property. Told apart by their messages too:
        // once the JIT inlines GetProperty into an endpoint, no System.Text.Json frame is left in the trace (found by
        // fuzzing whole requests), and a dictionary's own KeyNotFoundException names its key.
        KeyNotFoundException => ex.Message == new KeyNotFoundException().Message || FromJson(ex),
        InvalidOperationException => ex.Message.Contains("requires an element of type", StringComparison.Ordinal) || FromJson(ex),
        ArgumentException => FromJson(ex),

        // A form body over the form reader's limits (a key over 2 KB, a value over 4 MB, too many fields).
        InvalidDataException => ex.Message.StartsWith("Form ", StringComparison.Ordinal) || (ex.StackTrace?.Contains("Microsoft.AspNetCore.WebUtilities.Form", StringComparison.Ordinal) ?? false),
        _ => false,
    };

    private static bool FromJson(Exception ex) => ex.StackTrace?.Contains("System.Text.Json", StringComparison.Ordinal) ?? false;
}
