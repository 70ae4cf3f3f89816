using System.Text.RegularExpressions;

namespace Alimentar.Hub.Repos;

public enum RepoType
{
    Model,
    Dataset,
    Space,
}

/// <summary>A Hub repository: type plus <c>namespace/name</c>, validated with the official clients' rules.</summary>
public sealed partial record RepoId(RepoType Type, string Namespace, string Name)
{
    public string FullName => $"{Namespace}/{Name}";

    /// <summary>Plural used by API routes: <c>datasets</c>, <c>models</c>, <c>spaces</c>.</summary>
    public string ApiSegment => ApiSegmentOf(Type);

    /// <summary>Prefix of git-style routes: <c>datasets/</c>, <c>spaces/</c>, or empty for models.</summary>
    public string UrlPrefix => Type switch { RepoType.Dataset => "datasets/", RepoType.Space => "spaces/", _ => string.Empty };

    public static string ApiSegmentOf(RepoType type) => type switch { RepoType.Dataset => "datasets", RepoType.Space => "spaces", _ => "models" };

    public static RepoType? TypeFromSegment(string segment) => segment switch
    {
        "datasets" or "dataset" => RepoType.Dataset,
        "models" or "model" => RepoType.Model,
        "spaces" or "space" => RepoType.Space,
        _ => null,
    };

    public override string ToString() => $"{UrlPrefix}{FullName}";

    /// <summary>Parses <c>namespace/name</c>; throws <see cref="ArgumentException"/> with the rule that failed.</summary>
    public static RepoId Parse(string id, RepoType type = RepoType.Dataset)
    {
        var error = Validate(id);
        if (error is not null)
        {
            throw new ArgumentException($"invalid repo id '{id}': {error}");
        }

        var slash = id.IndexOf('/');
        return new RepoId(type, id[..slash], id[(slash + 1)..]);
    }

    /// <summary>Null when valid, otherwise the broken rule (huggingface_hub's validate_repo_id, namespace required).</summary>
    public static string? Validate(string id)
    {
        if (string.IsNullOrEmpty(id))
        {
            return "it is empty";
        }

        if (id.Count(c => c == '/') != 1)
        {
            return "expected 'namespace/name'";
        }

        if (id.Contains("--", StringComparison.Ordinal) || id.Contains("..", StringComparison.Ordinal))
        {
            return "'--' and '..' are not allowed";
        }

        if (id.EndsWith(".git", StringComparison.Ordinal))
        {
            return "it must not end with '.git'";
        }

        var parts = id.Split('/');
        foreach (var part in parts)
        {
            if (part.Length is 0 or > 96)
            {
                return "each part must be 1-96 characters";
            }

            if (!Segment().IsMatch(part))
            {
                return "use letters, digits, '-', '_' and '.', not starting or ending with '-' or '.'";
            }
        }

        return null;
    }

    [GeneratedRegex(@"^[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_])?$")]
    private static partial Regex Segment();
}
