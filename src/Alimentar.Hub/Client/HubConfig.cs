namespace Alimentar.Hub.Client;

/// <summary>Where the token and endpoint come from, in the order the official clients use.</summary>
public static class HubConfig
{
    public const string DefaultEndpoint = "https://huggingface.co";

    /// <summary>
    /// <paramref name="explicitToken"/>, then <c>HF_TOKEN</c>, then <c>HUGGING_FACE_HUB_TOKEN</c>, then the token
    /// file (<c>HF_TOKEN_PATH</c>, else <c>$HF_HOME/token</c>, else <c>$XDG_CACHE_HOME/huggingface/token</c>, else
    /// <c>~/.cache/huggingface/token</c>). Null when none is set.
    /// </summary>
    public static string? ResolveToken(string? explicitToken, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        foreach (var candidate in new[] { explicitToken, environment("HF_TOKEN"), environment("HUGGING_FACE_HUB_TOKEN") })
        {
            if (!string.IsNullOrWhiteSpace(candidate))
            {
                return candidate.Trim();
            }
        }

        var file = TokenPath(environment);
        if (File.Exists(file))
        {
            var text = File.ReadAllText(file).Trim();
            return text.Length > 0 ? text : null;
        }

        return null;
    }

    public static string TokenPath(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (environment("HF_TOKEN_PATH") is { Length: > 0 } explicitPath)
        {
            return explicitPath;
        }

        return Path.Combine(HfHome(environment), "token");
    }

    public static string HfHome(Func<string, string?> environment)
    {
        if (environment("HF_HOME") is { Length: > 0 } home)
        {
            return home;
        }

        var cache = environment("XDG_CACHE_HOME") is { Length: > 0 } xdg ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(cache, "huggingface");
    }

    /// <summary><paramref name="explicitEndpoint"/>, then <c>HF_ENDPOINT</c>, then huggingface.co; no trailing slash.</summary>
    public static string ResolveEndpoint(string? explicitEndpoint, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var endpoint = !string.IsNullOrWhiteSpace(explicitEndpoint) ? explicitEndpoint : environment("HF_ENDPOINT");
        endpoint = string.IsNullOrWhiteSpace(endpoint) ? DefaultEndpoint : endpoint.Trim();
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"invalid Hub endpoint '{endpoint}': expected an http(s) URL");
        }

        return endpoint.TrimEnd('/');
    }
}
