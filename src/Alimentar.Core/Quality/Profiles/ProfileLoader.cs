using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Alimentar.Quality.Profiles;

/// <summary>A profile file is invalid; the message names the file and the field.</summary>
/// <summary>A profile that cannot be used; the message is one line (values quoted in it show line breaks escaped).</summary>
public sealed class ProfileException(string message) : Exception(message.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal));

/// <summary>
/// Loads custom profiles from YAML. Unknown fields are errors (a typo must not silently weaken a gate).
/// <code>
/// name: my-profile
/// extends: ml-training
/// weights: { completeness: 0.4, uniqueness: 0.2, consistency: 0.2, schema: 0.2 }
/// null_tokens: ["", "n/a"]
/// columns: { label: y, key: [id], nullable: [note], text: [body], code: [], required: [id, y],
///            expected_constant: [], critical: [y], null_tokens_off: [], whitespace_off: [] }
/// patterns: [ { column: id, regex: "^[0-9]+$", allowed: [..], min_length: 1, max_length: 20 } ]
/// thresholds: { max_duplicate_rate: 0.01, duplicates_critical: false, near_duplicate_threshold: 0.8,
///               near_duplicate_factor: 0.5, max_nesting_depth: 8 }
/// </code>
/// </summary>
public static class ProfileLoader
{
    private static readonly HashSet<string> TopLevel = ["name", "description", "extends", "weights", "null_tokens", "columns", "patterns", "thresholds", "whitespace_checks", "code_filters", "label_sanity"];
    private static readonly HashSet<string> WeightFields = ["completeness", "uniqueness", "consistency", "schema"];
    private static readonly HashSet<string> ColumnFields = ["label", "key", "nullable", "text", "code", "required", "expected_constant", "critical", "null_tokens_off", "whitespace_off", "near_duplicate"];
    private static readonly HashSet<string> PatternFields = ["column", "regex", "allowed", "min_length", "max_length"];
    private static readonly HashSet<string> ThresholdFields = ["max_duplicate_rate", "duplicates_critical", "near_duplicate_threshold", "near_duplicate_factor", "max_nesting_depth"];

    public static QualityProfile LoadFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new ProfileException($"{path}: profile file not found");
        }

        return Parse(File.ReadAllText(path), path);
    }

    public static QualityProfile Parse(string yaml, string source = "profile")
    {
        YamlStream stream;
        try
        {
            stream = Data.Text.BoundedYaml.Load(yaml);
        }
        catch (YamlException ex)
        {
            throw new ProfileException($"{source}: invalid YAML at line {ex.Start.Line}: {ex.Message.Split('\n')[0]}");
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new ProfileException($"{source}: expected a mapping with at least 'name'");
        }

        var reader = new Reader(source);
        reader.CheckFields(root, TopLevel, string.Empty);
        var baseProfile = BuiltInProfiles.Default;
        if (reader.Scalar(root, "extends", string.Empty) is { } extends)
        {
            baseProfile = BuiltInProfiles.Find(extends)
                ?? throw new ProfileException($"{source}: 'extends': unknown profile '{extends}' (known: {string.Join(", ", BuiltInProfiles.All.Select(p => p.Name))})");
        }

        var profile = baseProfile with
        {
            Name = reader.Scalar(root, "name", string.Empty) ?? throw new ProfileException($"{source}: 'name' is required"),
            Description = reader.Scalar(root, "description", string.Empty) ?? baseProfile.Description,
            NullTokens = reader.List(root, "null_tokens", string.Empty) ?? baseProfile.NullTokens,
            WhitespaceChecks = reader.Bool(root, "whitespace_checks", string.Empty) ?? baseProfile.WhitespaceChecks,
            CodeFilters = reader.Bool(root, "code_filters", string.Empty) ?? baseProfile.CodeFilters,
            LabelSanity = reader.Bool(root, "label_sanity", string.Empty) ?? baseProfile.LabelSanity,
        };

        if (reader.Mapping(root, "weights", string.Empty) is { } weights)
        {
            reader.CheckFields(weights, WeightFields, "weights.");
            var w = new DimensionWeights(
                reader.Number(weights, "completeness", "weights.") ?? profile.Weights.Completeness,
                reader.Number(weights, "uniqueness", "weights.") ?? profile.Weights.Uniqueness,
                reader.Number(weights, "consistency", "weights.") ?? profile.Weights.Consistency,
                reader.Number(weights, "schema", "weights.") ?? profile.Weights.Schema);
            if (new[] { w.Completeness, w.Uniqueness, w.Consistency, w.Schema }.Any(x => x < 0 || double.IsNaN(x)))
            {
                throw new ProfileException($"{source}: 'weights': weights must be non-negative numbers");
            }

            if (w.Completeness + w.Uniqueness + w.Consistency + w.Schema <= 0)
            {
                throw new ProfileException($"{source}: 'weights': at least one weight must be positive");
            }

            profile = profile with { Weights = w };
        }

        var declared = new List<(string Field, string Column)>();
        if (reader.Mapping(root, "columns", string.Empty) is { } columns)
        {
            reader.CheckFields(columns, ColumnFields, "columns.");
            foreach (var field in ColumnFields)
            {
                if (field == "label" && reader.Scalar(columns, field, "columns.") is { } label)
                {
                    declared.Add(("columns.label", label));
                }
                else if (field != "label" && reader.List(columns, field, "columns.") is { } names)
                {
                    declared.AddRange(names.Select(n => ($"columns.{field}", n)));
                }
            }

            profile = profile with
            {
                LabelColumn = reader.Scalar(columns, "label", "columns.") ?? profile.LabelColumn,
                KeyColumns = reader.List(columns, "key", "columns.") ?? profile.KeyColumns,
                NullableColumns = reader.List(columns, "nullable", "columns.") ?? profile.NullableColumns,
                TextColumns = reader.List(columns, "text", "columns.") ?? profile.TextColumns,
                CodeColumns = reader.List(columns, "code", "columns.") ?? profile.CodeColumns,
                RequiredColumns = reader.List(columns, "required", "columns.") ?? profile.RequiredColumns,
                ExpectedConstantColumns = reader.List(columns, "expected_constant", "columns.") ?? profile.ExpectedConstantColumns,
                CriticalColumns = reader.List(columns, "critical", "columns.") ?? profile.CriticalColumns,
                NullTokensOffColumns = reader.List(columns, "null_tokens_off", "columns.") ?? profile.NullTokensOffColumns,
                WhitespaceOffColumns = reader.List(columns, "whitespace_off", "columns.") ?? profile.WhitespaceOffColumns,
                NearDuplicateColumns = reader.List(columns, "near_duplicate", "columns.") ?? profile.NearDuplicateColumns,
            };
        }

        if (root.Children.TryGetValue(new YamlScalarNode("patterns"), out var patternsNode))
        {
            if (patternsNode is not YamlSequenceNode sequence)
            {
                throw new ProfileException($"{source}: 'patterns' must be a list");
            }

            var patterns = new List<ColumnPattern>();
            for (var i = 0; i < sequence.Children.Count; i++)
            {
                var prefix = $"patterns[{i}].";
                if (sequence.Children[i] is not YamlMappingNode item)
                {
                    throw new ProfileException($"{source}: '{prefix.TrimEnd('.')}' must be a mapping");
                }

                reader.CheckFields(item, PatternFields, prefix);
                var column = reader.Scalar(item, "column", prefix) ?? throw new ProfileException($"{source}: '{prefix}column' is required");
                var regex = reader.Scalar(item, "regex", prefix);
                if (regex is not null)
                {
                    try
                    {
                        _ = new System.Text.RegularExpressions.Regex(regex);
                    }
                    catch (ArgumentException ex)
                    {
                        throw new ProfileException($"{source}: '{prefix}regex': invalid regular expression ({ex.Message})");
                    }
                }

                patterns.Add(new ColumnPattern(
                    column,
                    regex,
                    reader.List(item, "allowed", prefix),
                    (int?)reader.Number(item, "min_length", prefix),
                    (int?)reader.Number(item, "max_length", prefix)));
            }

            profile = profile with { Patterns = patterns };
            declared.AddRange(patterns.Select((p, i) => ($"patterns[{i}].column", p.Column)));
        }

        profile = profile with { DeclaredColumns = declared };

        if (reader.Mapping(root, "thresholds", string.Empty) is { } thresholds)
        {
            reader.CheckFields(thresholds, ThresholdFields, "thresholds.");
            profile = profile with
            {
                MaxDuplicateRate = reader.Fraction(thresholds, "max_duplicate_rate", "thresholds.") ?? profile.MaxDuplicateRate,
                DuplicatesCritical = reader.Bool(thresholds, "duplicates_critical", "thresholds.") ?? profile.DuplicatesCritical,
                NearDuplicateThreshold = reader.Fraction(thresholds, "near_duplicate_threshold", "thresholds.") ?? profile.NearDuplicateThreshold,
                NearDuplicateFactor = reader.Fraction(thresholds, "near_duplicate_factor", "thresholds.") ?? profile.NearDuplicateFactor,
                MaxNestingDepth = (int?)reader.Number(thresholds, "max_nesting_depth", "thresholds.") ?? profile.MaxNestingDepth,
            };
        }

        return profile;
    }

    private sealed class Reader(string source)
    {
        public void CheckFields(YamlMappingNode node, HashSet<string> allowed, string prefix)
        {
            foreach (var key in node.Children.Keys)
            {
                var name = (key as YamlScalarNode)?.Value ?? "?";
                if (!allowed.Contains(name))
                {
                    throw new ProfileException($"{source}: unknown field '{prefix}{name}' at line {key.Start.Line} (allowed: {string.Join(", ", allowed.Order())})");
                }
            }
        }

        public string? Scalar(YamlMappingNode node, string key, string prefix)
        {
            if (!node.Children.TryGetValue(new YamlScalarNode(key), out var value))
            {
                return null;
            }

            return value is YamlScalarNode scalar
                ? scalar.Value
                : throw new ProfileException($"{source}: '{prefix}{key}' must be a single value (line {value.Start.Line})");
        }

        public YamlMappingNode? Mapping(YamlMappingNode node, string key, string prefix)
        {
            if (!node.Children.TryGetValue(new YamlScalarNode(key), out var value))
            {
                return null;
            }

            return value as YamlMappingNode ?? throw new ProfileException($"{source}: '{prefix}{key}' must be a mapping (line {value.Start.Line})");
        }

        public IReadOnlyList<string>? List(YamlMappingNode node, string key, string prefix)
        {
            if (!node.Children.TryGetValue(new YamlScalarNode(key), out var value))
            {
                return null;
            }

            return value switch
            {
                YamlSequenceNode seq => seq.Children.Select(c => (c as YamlScalarNode)?.Value
                    ?? throw new ProfileException($"{source}: '{prefix}{key}' must be a list of strings (line {c.Start.Line})")).ToList(),
                YamlScalarNode scalar when scalar.Value is not null => [scalar.Value],
                _ => throw new ProfileException($"{source}: '{prefix}{key}' must be a list of strings (line {value.Start.Line})"),
            };
        }

        public double? Number(YamlMappingNode node, string key, string prefix)
        {
            var text = Scalar(node, key, prefix);
            if (text is null)
            {
                return null;
            }

            return double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value)
                ? value
                : throw new ProfileException($"{source}: '{prefix}{key}' must be a number, got '{text}'");
        }

        public double? Fraction(YamlMappingNode node, string key, string prefix)
        {
            var value = Number(node, key, prefix);
            return value is null or (>= 0 and <= 1)
                ? value
                : throw new ProfileException($"{source}: '{prefix}{key}' must be between 0 and 1, got {value}");
        }

        public bool? Bool(YamlMappingNode node, string key, string prefix)
        {
            var text = Scalar(node, key, prefix);
            return text switch
            {
                null => null,
                "true" or "True" or "yes" => true,
                "false" or "False" or "no" => false,
                _ => throw new ProfileException($"{source}: '{prefix}{key}' must be true or false, got '{text}'"),
            };
        }
    }
}
