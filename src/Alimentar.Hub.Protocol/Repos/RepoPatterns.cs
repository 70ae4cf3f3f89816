using System.Text;
using System.Text.RegularExpressions;

namespace Alimentar.Hub.Repos;

/// <summary>
/// <c>allow_patterns</c>/<c>ignore_patterns</c> as huggingface_hub applies them (<c>filter_repo_objects</c>): Python's
/// <c>fnmatch</c> on the whole path, where <c>*</c> also crosses <c>/</c>, and a pattern ending in <c>/</c> means
/// everything below that folder. So <c>--include "data/train-*"</c> selects what <c>snapshot_download</c> would.
/// </summary>
public static class RepoPatterns
{
    public static bool Selected(string path, IReadOnlyCollection<string> include, IReadOnlyCollection<string> exclude) =>
        (include.Count == 0 || include.Any(p => IsMatch(p, path))) && !exclude.Any(p => IsMatch(p, path));

    public static bool IsMatch(string pattern, string path)
    {
        if (pattern.EndsWith('/'))
        {
            pattern += "*";
        }

        return Regex.IsMatch(path, Translate(pattern), RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromSeconds(1));
    }

    // fnmatch.translate: * -> .*, ? -> ., [seq] and [!seq] -> character classes, everything else literal.
    private static string Translate(string pattern)
    {
        var sb = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '*':
                    sb.Append(".*");
                    break;
                case '?':
                    sb.Append('.');
                    break;
                case '[':
                    var end = pattern.IndexOf(']', i + 2);
                    if (end < 0)
                    {
                        sb.Append("\\[");
                        break;
                    }

                    var set = pattern[(i + 1)..end];
                    sb.Append('[').Append(set.StartsWith('!') ? "^" + Regex.Escape(set[1..]) : Regex.Escape(set)).Append(']');
                    i = end;
                    break;
                default:
                    sb.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        return sb.Append('$').ToString();
    }
}
