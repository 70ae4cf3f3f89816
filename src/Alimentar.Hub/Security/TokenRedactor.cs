using System.Text.RegularExpressions;

namespace Alimentar.Hub.Security;

/// <summary>Removes anything that looks like a Hub token (and any registered secret) from text before it is shown.</summary>
public static partial class TokenRedactor
{
    private static readonly List<string> Secrets = [];

    /// <summary>Registers a secret that does not look like a token (tokens of self-hosted hubs need no hf_ prefix for Python).</summary>
    public static void Register(string? secret)
    {
        if (!string.IsNullOrEmpty(secret) && secret.Length >= 4)
        {
            lock (Secrets)
            {
                if (!Secrets.Contains(secret))
                {
                    Secrets.Add(secret);
                }
            }
        }
    }

    public static string Redact(string text)
    {
        var result = TokenPattern().Replace(text, "hf_***");
        lock (Secrets)
        {
            foreach (var secret in Secrets)
            {
                result = result.Replace(secret, "***", StringComparison.Ordinal);
            }
        }

        return result;
    }

    [GeneratedRegex(@"hf_[A-Za-z0-9_\-]{4,}")]
    private static partial Regex TokenPattern();
}
