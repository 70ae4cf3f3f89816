using System.Text;
using System.Text.RegularExpressions;

namespace Alimentar.Data;

/// <summary>
/// Glob patterns on '/'-separated relative paths: <c>*</c> and <c>?</c> within one segment, <c>**</c> across
/// segments, and <c>**/</c> for zero or more folders. One implementation for input globs, --include/--exclude,
/// dataset-card data_files and .gitattributes.
/// </summary>
public static class Glob
{
    /// <summary>The unanchored regular expression for <paramref name="pattern"/>.</summary>
    public static string ToRegex(string pattern)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                i++;
                if (i + 1 < pattern.Length && pattern[i + 1] == '/')
                {
                    i++;
                    sb.Append("(.*/)?");
                }
                else
                {
                    sb.Append(".*");
                }
            }
            else if (c == '*')
            {
                sb.Append("[^/]*");
            }
            else if (c == '?')
            {
                sb.Append("[^/]");
            }
            else
            {
                sb.Append(Regex.Escape(c.ToString()));
            }
        }

        return sb.ToString();
    }

    /// <summary>True when the whole of <paramref name="path"/> matches <paramref name="pattern"/>.</summary>
    public static bool IsMatch(string pattern, string path) =>
        Regex.IsMatch(path, "^" + ToRegex(pattern) + "$", RegexOptions.CultureInvariant);
}
