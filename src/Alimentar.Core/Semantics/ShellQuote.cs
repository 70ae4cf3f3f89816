namespace Alimentar.Semantics;

/// <summary>
/// A word for a suggested command line, quoted for a POSIX shell only when it needs it, so that a fix naming the
/// column "US DVD Sales" can be pasted as it is.
/// </summary>
public static class ShellQuote
{
    public static string Of(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '/' or ':' or '=' or '@' or '%' or '+' or ',')
            ? word
            : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
