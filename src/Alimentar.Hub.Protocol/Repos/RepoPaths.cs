namespace Alimentar.Hub.Repos;

/// <summary>Validation of paths in a repo and of revisions, shared by the client and the server.</summary>
public static class RepoPaths
{
    /// <summary>Longest path accepted, in UTF-8 bytes (git and the Hub's clients cope with far less than URL limits).</summary>
    public const int MaxPathBytes = 1024;

    /// <summary>Longest file or folder name, in UTF-8 bytes (what file systems allow).</summary>
    public const int MaxSegmentBytes = 255;

    /// <summary>Deepest nesting accepted; deeper paths only slow every recursive listing of the repo.</summary>
    public const int MaxDepth = 64;

    /// <summary>Longest branch or tag name (git refuses ref components above 255 bytes).</summary>
    public const int MaxRevisionLength = 255;

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

        if (System.Text.Encoding.UTF8.GetByteCount(p) > MaxPathBytes)
        {
            return (null, $"paths are limited to {MaxPathBytes} bytes");
        }

        var segments = p.Split('/');
        if (segments.Length > MaxDepth)
        {
            return (null, $"paths are limited to {MaxDepth} levels of folders");
        }

        foreach (var segment in segments)
        {
            if (System.Text.Encoding.UTF8.GetByteCount(segment) > MaxSegmentBytes)
            {
                return (null, $"file and folder names are limited to {MaxSegmentBytes} bytes");
            }

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

        if (revision.Length > MaxRevisionLength)
        {
            return $"revisions are limited to {MaxRevisionLength} characters";
        }

        // git check-ref-format's rules, which the Hub's refs follow.
        if (revision.Any(c => char.IsControl(c) || c is ' ' or '~' or '^' or ':' or '?' or '*' or '[' or '\\')
            || revision.Contains("..", StringComparison.Ordinal) || revision.Contains("@{", StringComparison.Ordinal) || revision.Contains("//", StringComparison.Ordinal)
            || revision.StartsWith('/') || revision.EndsWith('/') || revision.EndsWith('.') || revision.EndsWith(".lock", StringComparison.Ordinal))
        {
            return "revision contains characters that are not allowed";
        }

        return null;
    }

    public static bool IsCommitId(string revision) =>
        revision.Length == 40 && revision.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');
}
