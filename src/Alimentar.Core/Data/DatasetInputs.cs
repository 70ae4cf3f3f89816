using System.Text.RegularExpressions;

namespace Alimentar.Data;

/// <summary>
/// Expands what a user typed (files, folders, globs) into the ordered list of files that form one dataset.
/// </summary>
public static class DatasetInputs
{
    public static IReadOnlyList<string> Expand(IEnumerable<string> inputs)
    {
        var files = new List<string>();
        foreach (var input in inputs)
        {
            if (Directory.Exists(input))
            {
                var inFolder = Directory
                    .EnumerateFiles(input, "*", SearchOption.AllDirectories)
                    .Where(f => FormatDetector.IsSupportedExtension(f) && !IsHidden(input, f))
                    .OrderBy(f => f, StringComparer.Ordinal)
                    .ToList();
                if (inFolder.Count == 0)
                {
                    throw new DataReadException(input, "folder holds no .parquet, .csv, .tsv, .json, .jsonl or .arrow files");
                }

                files.AddRange(inFolder);
            }
            else if (input.IndexOfAny(['*', '?', '[']) >= 0 && !File.Exists(input))
            {
                var matches = Glob(input);
                if (matches.Count == 0)
                {
                    throw new DataReadException(input, "the pattern matches no files");
                }

                files.AddRange(matches);
            }
            else
            {
                files.Add(input);
            }
        }

        var distinct = files.Distinct(StringComparer.Ordinal).ToList();
        if (distinct.FirstOrDefault(f => !FileKind.IsRegular(f)) is { } special)
        {
            throw new DataReadException(special, "is not a regular file (a FIFO, socket or device); alimentar reads files only");
        }

        return distinct;
    }

    private static bool IsHidden(string root, string file)
    {
        var relative = Path.GetRelativePath(root, file);
        return relative.Split(Path.DirectorySeparatorChar).Any(part => part.StartsWith('.') || part.StartsWith('_'));
    }

    /// <summary>Files under the pattern's fixed leading folders that match it (see <see cref="Data.Glob"/>).</summary>
    public static IReadOnlyList<string> Glob(string pattern)
    {
        var full = pattern.Replace('\\', '/');
        var firstWildcard = full.IndexOfAny(['*', '?', '[']);
        var baseEnd = full.LastIndexOf('/', firstWildcard);
        var baseDir = baseEnd < 0 ? "." : (baseEnd == 0 ? "/" : full[..baseEnd]);
        var rest = baseEnd < 0 ? full : full[(baseEnd + 1)..];
        if (!Directory.Exists(baseDir))
        {
            return [];
        }

        var regex = new Regex("^" + Alimentar.Data.Glob.ToRegex(rest) + "$", RegexOptions.CultureInvariant);
        return Directory
            .EnumerateFiles(baseDir, "*", SearchOption.AllDirectories)
            .Where(f => regex.IsMatch(Path.GetRelativePath(baseDir, f).Replace('\\', '/')))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The deepest folder holding every one of <paramref name="files"/> (made absolute first).</summary>
    public static string CommonFolder(IReadOnlyList<string> files)
    {
        var folders = files.Select(f => Path.GetDirectoryName(Path.GetFullPath(f))!).ToList();
        var common = folders[0];
        foreach (var folder in folders.Skip(1))
        {
            while (!(folder == common || folder.StartsWith(common.TrimEnd('/') + "/", StringComparison.Ordinal)))
            {
                common = Path.GetDirectoryName(common) ?? "/";
            }
        }

        return common;
    }
}
