using System.Text.Json;

namespace Alimentar.Hub;

/// <summary>
/// Strings of untrusted JSON, read one way by the client and the server. <see cref="JsonElement.GetString"/> throws
/// InvalidOperationException on invalid UTF-8 inside a string (the parser does not check it), which a server would
/// answer with a 500: here it is a FormatException, a refusal with a reason.
/// </summary>
public static class JsonText
{
    public static string? Of(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        try
        {
            return element.GetString();
        }
        catch (InvalidOperationException)
        {
            throw new FormatException("a string is not valid UTF-8");
        }
    }

    public static string Name(JsonProperty property)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException)
        {
            throw new FormatException("a property name is not valid UTF-8");
        }
    }

    public static string? Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? Of(value) : null;
}
