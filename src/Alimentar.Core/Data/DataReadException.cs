namespace Alimentar.Data;

/// <summary>
/// A dataset file could not be read. The message is always one line that names the file and the
/// problem, so a CLI can print it as is.
/// </summary>
public sealed class DataReadException : Exception
{
    public DataReadException(string path, string problem, Exception? inner = null)
        : base($"{path}: {OneLine(problem)}", inner)
    {
        FilePath = path;
        Problem = OneLine(problem);
    }

    public string FilePath { get; }

    public string Problem { get; }

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
