using System.Text.Json;

namespace Alimentar.Server.Endpoints;

/// <summary>Exceptions that mean the request was malformed (a JSON body of the wrong shape, a number out of range, bad base64), answered 400 rather than 500.</summary>
internal static class RequestErrors
{
    public static bool IsMalformedRequest(Exception ex) => ex switch
    {
        JsonException or FormatException or OverflowException or System.Text.DecoderFallbackException => true,

        // JsonElement's accessors on the wrong kind of value, or a missing property.
        InvalidOperationException or KeyNotFoundException => ex.StackTrace?.Contains("System.Text.Json", StringComparison.Ordinal) ?? false,
        ArgumentException => ex.StackTrace?.Contains("System.Text.Json", StringComparison.Ordinal) ?? false,
        _ => false,
    };
}
