namespace Alimentar.Hub.Repos;

/// <summary>The LFS side of a <c>.gitattributes</c> file: which patterns carry <c>filter=lfs</c>.</summary>
public static class GitAttributes
{
    public static IReadOnlyList<string> LfsPatterns(string text) =>
        text.Split('\n')
            .Where(l => l.Contains("filter=lfs", StringComparison.Ordinal))
            .Select(l => l.Replace("\\ ", "\u0000", StringComparison.Ordinal).Split(' ')[0].Replace("\u0000", " ", StringComparison.Ordinal))
            .Where(p => p.Length > 0)
            .ToList();

    /// <summary>Git's rule: a pattern without '/' matches the file name, one with '/' the whole path.</summary>
    public static bool Tracks(IEnumerable<string> patterns, string path) =>
        patterns.Any(p => Alimentar.Data.Glob.IsMatch(p, p.Contains('/', StringComparison.Ordinal) ? path : Path.GetFileName(path)));

    /// <summary>The line that tracks <paramref name="path"/> exactly (spaces escaped as git writes them).</summary>
    public static string LfsLine(string path) => $"{path.Replace(" ", "\\ ", StringComparison.Ordinal)} filter=lfs diff=lfs merge=lfs -text\n";
}
