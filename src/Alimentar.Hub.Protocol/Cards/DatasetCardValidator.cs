using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Alimentar.Hub.Cards;

/// <summary>One problem in a dataset card, in the publishing guide's shape.</summary>
public sealed record CardIssue(string Field, string Message, IReadOnlyList<string> Suggestions, bool IsError)
{
    /// <summary><c>ERROR: Invalid 'task_categories': 'text2text-generation' is not valid</c> plus the fixes.</summary>
    public string Format()
    {
        var text = (IsError ? "ERROR: " : "WARNING: ") + Message;
        if (Suggestions.Count > 0)
        {
            var noun = Field switch
            {
                "task_categories" => "task category",
                "task_ids" => "task id",
                "size_categories" => "size category",
                _ => Field.Replace('_', ' '),
            };
            text += $"\n\nFix: Use valid HuggingFace {noun}:\n" + string.Join("\n", Suggestions.Select(s => $"  - {s}"));
        }

        return text;
    }
}

public sealed record CardValidationResult(IReadOnlyList<CardIssue> Issues)
{
    public bool IsValid => Issues.All(i => !i.IsError);

    public IEnumerable<CardIssue> Errors => Issues.Where(i => i.IsError);

    public IEnumerable<CardIssue> Warnings => Issues.Where(i => !i.IsError);
}

/// <summary>
/// Validates a dataset card's YAML front matter against the allowed Hub values before anything is uploaded.
/// </summary>
public sealed class DatasetCardValidator(CardMetadata? metadata = null)
{
    private readonly CardMetadata _metadata = metadata ?? CardMetadata.Default;

    /// <param name="readme">The full README.md text.</param>
    /// <param name="repoFiles">Paths that will be in the repo after the push, to check configs/data_files; null to skip.</param>
    public CardValidationResult Validate(string readme, IReadOnlyCollection<string>? repoFiles = null)
    {
        var issues = new List<CardIssue>();
        var yaml = FrontMatter(readme, issues);
        if (yaml is null)
        {
            return new CardValidationResult(issues);
        }

        YamlMappingNode root;
        try
        {
            var stream = Alimentar.Data.Text.BoundedYaml.Load(yaml);
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode mapping)
            {
                issues.Add(new CardIssue("metadata", "Invalid metadata: the YAML front matter must be a mapping", [], true));
                return new CardValidationResult(issues);
            }

            root = mapping;
        }
        catch (YamlException ex)
        {
            issues.Add(new CardIssue("metadata", $"Invalid YAML in README.md front matter at line {ex.Start.Line + 1}: {ex.Message.Split('\n')[0]}", [], true));
            return new CardValidationResult(issues);
        }

        CheckList(root, "task_categories", _metadata.TaskCategories, issues, requireList: true, value =>
        {
            if (_metadata.HiddenTaskCategories.Contains(value))
            {
                return $"Invalid 'task_categories': '{value}' is hidden for datasets and rejected by the Hub";
            }

            return _metadata.TaskCategories.Contains(value) ? null : $"Invalid 'task_categories': '{value}' is not valid";
        }, value => Suggest(value, _metadata.TaskCategories.Where(c => !_metadata.HiddenTaskCategories.Contains(c)), _metadata.TaskIds.GetValueOrDefault(value)));

        CheckList(root, "task_ids", _metadata.TaskIds.Keys.ToList(), issues, requireList: true, value =>
            _metadata.TaskIds.ContainsKey(value) ? null : $"Unknown 'task_ids': '{value}'", value => Suggest(value, _metadata.TaskIds.Keys, null), isError: false);

        CheckList(root, "license", _metadata.Licenses, issues, requireList: false, value =>
            _metadata.Licenses.Contains(value) ? null : $"Invalid 'license': '{value}' is not valid (\"license\" must be one of the Hub's license ids)", value => Suggest(value, _metadata.Licenses, null));

        CheckList(root, "size_categories", _metadata.SizeCategories, issues, requireList: false, value =>
            _metadata.SizeCategories.Contains(value) ? null : $"Invalid 'size_categories': '{value}' is not valid", value => Suggest(value, _metadata.SizeCategories, null));

        if (root.Children.TryGetValue(new YamlScalarNode("language"), out var language) && language is not (YamlScalarNode or YamlSequenceNode))
        {
            issues.Add(new CardIssue("language", "Invalid 'language': must be a language code or a list of codes", [], true));
        }
        else if (language is YamlSequenceNode languages)
        {
            foreach (var code in languages.Children.OfType<YamlScalarNode>().Select(c => c.Value ?? string.Empty))
            {
                if (!System.Text.RegularExpressions.Regex.IsMatch(code, "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"))
                {
                    issues.Add(new CardIssue("language", $"Invalid 'language': '{code}' is not an ISO 639-1/639-3 code", [], true));
                }
            }
        }

        if (repoFiles is not null && root.Children.TryGetValue(new YamlScalarNode("configs"), out var configs))
        {
            CheckConfigs(configs, repoFiles, issues);
        }

        return new CardValidationResult(issues);
    }

    private static string? FrontMatter(string readme, List<CardIssue> issues)
    {
        var text = readme.Replace("\r\n", "\n", StringComparison.Ordinal).TrimStart('\uFEFF');
        if (!text.StartsWith("---\n", StringComparison.Ordinal))
        {
            issues.Add(new CardIssue("metadata", "README.md has no YAML metadata (front matter between '---' lines); the Hub accepts it with a warning", [], false));
            return null;
        }

        var end = text.IndexOf("\n---", 3, StringComparison.Ordinal);
        if (end < 0)
        {
            issues.Add(new CardIssue("metadata", "Invalid metadata: the YAML front matter is not closed by a '---' line", [], true));
            return null;
        }

        return end < 4 ? string.Empty : text[4..end];
    }

    private static void CheckList(YamlMappingNode root, string field, IReadOnlyList<string> allowed, List<CardIssue> issues, bool requireList, Func<string, string?> check, Func<string, IReadOnlyList<string>> suggest, bool isError = true)
    {
        if (!root.Children.TryGetValue(new YamlScalarNode(field), out var node))
        {
            return;
        }

        IEnumerable<YamlNode> values;
        switch (node)
        {
            case YamlSequenceNode seq:
                values = seq.Children;
                break;
            case YamlScalarNode scalar when !requireList:
                values = [scalar];
                break;
            default:
                issues.Add(new CardIssue(field, $"Invalid '{field}': must be a YAML list", [], true));
                return;
        }

        foreach (var value in values)
        {
            if (value is not YamlScalarNode { Value: { } text })
            {
                issues.Add(new CardIssue(field, $"Invalid '{field}': every value must be a string", [], true));
                continue;
            }

            var problem = check(text);
            if (problem is not null)
            {
                issues.Add(new CardIssue(field, problem, suggest(text), isError));
            }
        }
    }

    private static void CheckConfigs(YamlNode configs, IReadOnlyCollection<string> repoFiles, List<CardIssue> issues)
    {
        if (configs is not YamlSequenceNode list)
        {
            issues.Add(new CardIssue("configs", "Invalid 'configs': must be a list of {config_name, data_files}", [], true));
            return;
        }

        foreach (var config in list.Children.OfType<YamlMappingNode>())
        {
            var name = config.Children.TryGetValue(new YamlScalarNode("config_name"), out var n) ? (n as YamlScalarNode)?.Value : null;
            if (!config.Children.TryGetValue(new YamlScalarNode("data_files"), out var dataFiles))
            {
                continue;
            }

            foreach (var pattern in Patterns(dataFiles))
            {
                if (!repoFiles.Any(f => Alimentar.Data.Glob.IsMatch(pattern, f)))
                {
                    issues.Add(new CardIssue("configs", $"Invalid 'configs': data_files pattern '{pattern}' of config '{name ?? "default"}' matches no file in the repo", repoFiles.Where(f => !f.EndsWith(".md", StringComparison.Ordinal) && f != ".gitattributes").Take(5).ToList(), true));
                }
            }
        }
    }

    private static IEnumerable<string> Patterns(YamlNode node) => node switch
    {
        YamlScalarNode s when s.Value is not null => [s.Value],
        YamlSequenceNode seq => seq.Children.SelectMany(Patterns),
        YamlMappingNode map => map.Children.TryGetValue(new YamlScalarNode("path"), out var path) ? Patterns(path) : [],
        _ => [],
    };

    // Former top-level categories that the Hub now refuses, with what they were used for (card-metadata.md §1).
    private static readonly Dictionary<string, string[]> FormerCategories = new(StringComparer.Ordinal)
    {
        ["text2text-generation"] = ["text-generation", "translation", "text-classification"],
        ["conversational"] = ["text-generation", "question-answering", "text-classification"],
    };

    /// <summary>Closest valid values: the parent category first when the value is a known subtask, then by edit distance.</summary>
    public static IReadOnlyList<string> Suggest(string value, IEnumerable<string> candidates, string? parent)
    {
        var list = candidates.Distinct().ToList();
        if (FormerCategories.TryGetValue(value, out var replacements) && replacements.All(list.Contains))
        {
            return replacements;
        }

        var ranked = list
            .Select(c => (c, d: EditDistance.Between(value.ToLowerInvariant(), c)))
            .OrderBy(x => x.d)
            .ThenBy(x => x.c, StringComparer.Ordinal)
            .Select(x => x.c)
            .ToList();
        if (!string.IsNullOrEmpty(parent) && list.Contains(parent))
        {
            ranked.Remove(parent);
            ranked.Insert(0, parent);
        }

        return ranked.Take(3).ToList();
    }
}
