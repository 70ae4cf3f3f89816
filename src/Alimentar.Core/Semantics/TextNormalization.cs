using System.Text;

namespace Alimentar.Semantics;

/// <summary>
/// The model's two text normalizations, each with a code-column variant (whitespace is meaningful in code):
/// the identity form decides when two cells are "the same text" for duplicate detection (quality-model.md); the
/// repair form is what <c>clean --normalize-text</c> writes (transforms.md).
/// </summary>
public static class TextNormalization
{
    /// <summary>
    /// Identity form: NFC, CRLF/CR to LF; for prose also trailing whitespace per line stripped, the value trimmed,
    /// runs of spaces and tabs collapsed to one space. Code: NFC and line endings only.
    /// </summary>
    /// <summary>
    /// The category-hygiene fold: spellings of a category that differ only in case or edge whitespace ("Positive",
    /// "positive ") are one category. Used for spelling-variant findings and for the classes augment balances.
    /// </summary>
    public static string CategoryKey(string value) => value.Trim().ToLowerInvariant();

    public static string ForIdentity(string text, bool code)
    {
        var s = CodeForm(text);
        if (code)
        {
            return s;
        }

        var sb = new StringBuilder(s.Length);
        foreach (var line in s.Split('\n'))
        {
            if (sb.Length > 0)
            {
                sb.Append('\n');
            }

            var previousSpace = false;
            foreach (var ch in line.TrimEnd())
            {
                var space = ch is ' ' or '\t';
                if (space && previousSpace)
                {
                    continue;
                }

                sb.Append(space ? ' ' : ch);
                previousSpace = space;
            }
        }

        return sb.ToString().Trim();
    }

    /// <summary>
    /// Repair form: NFC, CRLF/CR to LF, BOMs and C0/C1 control characters other than tab and newline removed; for
    /// prose also trimmed (Unicode White_Space) and runs of spaces collapsed to one. Code: NFC and line endings only.
    /// </summary>
    public static string ForRepair(string text, bool code)
    {
        var s = CodeForm(text);
        if (code)
        {
            return s;
        }

        var sb = new StringBuilder(s.Length);
        var previousSpace = false;
        foreach (var ch in s)
        {
            if (ch == '\uFEFF' || (char.IsControl(ch) && ch is not ('\t' or '\n')))
            {
                continue;
            }

            var space = ch == ' ';
            if (space && previousSpace)
            {
                continue;
            }

            sb.Append(ch);
            previousSpace = space;
        }

        return sb.ToString().Trim();
    }

    /// <summary>True when <see cref="ForRepair"/> would return the value unchanged, decided without allocating for ASCII.</summary>
    public static bool IsRepaired(ReadOnlySpan<byte> utf8, bool code)
    {
        if (!Ascii.IsValid(utf8))
        {
            var s = Encoding.UTF8.GetString(utf8);
            return ForRepair(s, code) == s;
        }

        if (utf8.IndexOf((byte)'\r') >= 0)
        {
            return false;
        }

        if (code)
        {
            return true;
        }

        if (utf8.Length > 0 && (IsAsciiWhiteSpace(utf8[0]) || IsAsciiWhiteSpace(utf8[^1])))
        {
            return false;
        }

        var previousSpace = false;
        foreach (var b in utf8)
        {
            if (b < 0x20 && b is not ((byte)'\t' or (byte)'\n') || b == 0x7F)
            {
                return false;
            }

            var space = b == ' ';
            if (space && previousSpace)
            {
                return false;
            }

            previousSpace = space;
        }

        return true;
    }

    private static bool IsAsciiWhiteSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0B or 0x0C;

    /// <summary>Both forms of a code column, and the first step of both for prose: NFC and LF line endings.</summary>
    private static string CodeForm(string text)
    {
        var s = text.IsNormalized(NormalizationForm.FormC) ? text : text.Normalize(NormalizationForm.FormC);
        return s.Contains('\r', StringComparison.Ordinal) ? s.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n') : s;
    }
}
