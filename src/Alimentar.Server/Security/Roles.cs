namespace Alimentar.Server.Security;

/// <summary>How much a caller may do in a namespace; ordered, so that more includes less.</summary>
public enum Access
{
    None,
    Read,
    Write,

    /// <summary>Also change settings, move and delete repos.</summary>
    Admin,
}

/// <summary>The words of the tokens and organizations files.</summary>
internal static class Roles
{
    public static TokenRole? Parse(string word) => word switch
    {
        "read" => TokenRole.Read,
        "write" => TokenRole.Write,
        "admin" => TokenRole.Admin,
        _ => null,
    };

    public static string Name(Access access) => access.ToString().ToLowerInvariant();

    /// <summary>
    /// The <c>NAME USER ROLE</c> lines of a tokens or organizations file, with their line numbers; blank lines and
    /// <c>#</c> comments are skipped.
    /// </summary>
    /// <exception cref="FormatException">A line of another shape; the message names the file, the line and <paramref name="expected"/>.</exception>
    public static IEnumerable<(int Line, string Name, string User, TokenRole Role)> ReadFile(string path, string expected)
    {
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            var text = line.Trim();
            if (text.Length == 0 || text.StartsWith('#'))
            {
                continue;
            }

            var parts = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 3 || Parse(parts[2]) is not { } role)
            {
                throw new FormatException($"{path}:{lineNumber}: expected '{expected}'");
            }

            yield return (lineNumber, parts[0], parts[1], role);
        }
    }
}
