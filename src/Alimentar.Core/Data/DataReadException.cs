namespace Alimentar.Data;

/// <summary>
/// A dataset file could not be read. The message is always one line that names the file and the
/// problem, so a CLI can print it as is.
/// </summary>
public sealed class DataReadException : Exception
{
    public DataReadException(string path, string problem, Exception? inner = null)
        : base($"{Printable(path)}: {OneLine(problem)}", inner)
    {
        FilePath = path;
        Problem = OneLine(problem);
    }

    public string FilePath { get; }

    public string Problem { get; }

    /// <summary>A file name as one line: control characters (a newline in a name) written as escapes, not obeyed.</summary>
    public static string Printable(string path)
    {
        if (!path.Any(char.IsControl))
        {
            return path;
        }

        var sb = new System.Text.StringBuilder(path.Length + 8);
        foreach (var c in path)
        {
            sb.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        }

        return sb.ToString();
    }

    private static string OneLine(string text)
    {
        var line = text.Replace('\r', ' ').Replace('\n', ' ').Trim();
        while (line.Contains("  ", StringComparison.Ordinal))
        {
            line = line.Replace("  ", " ", StringComparison.Ordinal);
        }

        return line.Length > 300 ? line[..300] + "…" : line;
    }
}
