using System.Text.RegularExpressions;

namespace Alimentar.Semantics;

/// <summary>
/// Which split a data file belongs to, by the Hub's rules (hub-docs <c>datasets-file-names-and-splits.md</c>, the
/// <c>datasets</c> library's <c>data_files.py</c>): a shard named as <c>push_to_hub</c> names them
/// (<c>train-00000-of-00003.parquet</c>, any split name) says so; otherwise a split keyword in the file name or a
/// folder name, bounded by start, end or a non-letter (<c>my_train_file.csv</c>, <c>data/dev/x.csv</c>).
/// </summary>
public static partial class SplitNames
{
    public const string Train = "train";
    public const string Validation = "validation";
    public const string Test = "test";

    private static readonly (string Split, string[] Keywords)[] Keywords =
    [
        (Train, ["train", "training"]),
        (Validation, ["validation", "valid", "dev", "val"]),
        (Test, ["test", "testing", "eval", "evaluation"]),
    ];

    /// <summary>Whether <paramref name="name"/> can name a split (<c>^\w+(\.\w+)*$</c>: no dashes).</summary>
    public static bool IsValid(string name) => ValidName().IsMatch(name);

    /// <summary>The split a file's path (relative to the dataset's folder) names, or null when it names none.</summary>
    public static string? FromPath(string relativePath)
    {
        var parts = relativePath.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            return null;
        }

        var file = parts[^1];
        var shard = ShardName().Match(file);
        if (shard.Success)
        {
            return shard.Groups[1].Value;
        }

        var stem = file.Split('.')[0];
        if (FromWord(stem) is { } fromFile)
        {
            return fromFile;
        }

        for (var i = parts.Length - 2; i >= 0; i--)
        {
            if (FromWord(parts[i]) is { } fromFolder)
            {
                return fromFolder;
            }
        }

        return null;
    }

    // A keyword bounded by the start or end of the name or by a character that is not a letter.
    private static string? FromWord(string name)
    {
        var lower = name.ToLowerInvariant();
        foreach (var (split, keywords) in Keywords)
        {
            foreach (var keyword in keywords)
            {
                var at = 0;
                while ((at = lower.IndexOf(keyword, at, StringComparison.Ordinal)) >= 0)
                {
                    var before = at == 0 || !char.IsLetter(lower[at - 1]);
                    var end = at + keyword.Length;
                    var after = end == lower.Length || !char.IsLetter(lower[end]);
                    if (before && after)
                    {
                        return split;
                    }

                    at = end;
                }
            }
        }

        return null;
    }

    [GeneratedRegex(@"^(\w+(?:\.\w+)*)-\d{5}-of-\d{5}\.[A-Za-z0-9.]+$")]
    private static partial Regex ShardName();

    [GeneratedRegex(@"^\w+(\.\w+)*$")]
    private static partial Regex ValidName();
}
