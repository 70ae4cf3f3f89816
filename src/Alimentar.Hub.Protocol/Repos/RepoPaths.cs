namespace Alimentar.Hub.Repos;

/// <summary>Validation of paths in a repo and of revisions, shared by the client and the server.</summary>
public static class RepoPaths
{
    /// <summary>Normalizes a path in the repo the way huggingface_hub does, or returns the reason it is refused.</summary>
    public static (string? Path, string? Error) Normalize(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return (null, "path is empty");
        }

        if (path.Contains('\\', StringComparison.Ordinal))
        {
            return (null, "backslashes are not allowed");
        }

        if (path.Any(c => char.IsControl(c)))
        {
            return (null, "control characters are not allowed");
        }

        var p = path;
        if (p.StartsWith("./", StringComparison.Ordinal))
        {
            p = p[2..];
        }

        if (p.StartsWith('/'))
        {
            return (null, "absolute paths are not allowed");
        }

        if (p.Length == 0 || p == "." || p == "..")
        {
            return (null, $"'{path}' is not a file path");
        }

        foreach (var segment in p.Split('/'))
        {
            if (segment is ".." or ".")
            {
                return (null, "'.' and '..' segments are not allowed");
            }

            if (segment.Length == 0)
            {
                return (null, "empty path segments are not allowed");
            }

            if (segment is ".git" or ".cache")
            {
                return (null, $"'{segment}' folders are reserved");
            }
        }

        return (p, null);
    }

    /// <summary>Null when the revision is acceptable: a branch, tag, refs/pr/N or a commit id.</summary>
    public static string? ValidateRevision(string revision)
    {
        if (string.IsNullOrWhiteSpace(revision))
        {
            return "revision is empty";
        }

        if (revision.Any(char.IsControl) || revision.Contains('\\', StringComparison.Ordinal) || revision.Contains("..", StringComparison.Ordinal) || revision.StartsWith('/') || revision.EndsWith('/'))
        {
            return "revision contains characters that are not allowed";
        }

        return null;
    }

    public static bool IsCommitId(string revision) =>
        revision.Length == 40 && revision.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');
}
