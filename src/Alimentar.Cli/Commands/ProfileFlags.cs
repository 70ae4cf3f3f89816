using System.CommandLine;
using Alimentar.Quality.Profiles;

namespace Alimentar.Cli.Commands;

/// <summary>
/// What a profile file says about the data, as flags: null tokens, nullable, key and text columns, and the CSV
/// delimiter. Lists are comma-separated (a column whose name holds a comma needs a profile file). Columns named
/// here must exist, like those of a profile: a typo would switch a check off.
/// </summary>
internal sealed class ProfileFlags
{
    private readonly Option<string?> _nullTokens = new("--null-tokens") { Description = "Values that mean missing, comma-separated (replaces the profile's; counted as missing in every column)" };
    private readonly Option<string?> _nullable = new("--nullable") { Description = "Columns where missing values are expected, comma-separated" };
    private readonly Option<string?> _key = new("--key") { Description = "Columns that together identify a row, comma-separated (checked for duplicates)" };
    private readonly Option<string?> _text = new("--text-columns") { Description = "Free-text columns, comma-separated (near duplicates, text checks)" };
    private readonly Option<string?> _delimiter = new("--delimiter") { Description = "CSV field separator: a character, or comma, semicolon, tab, pipe (default: detected)" };

    /// <summary>The profile's flags and <c>--delimiter</c>, for every command that reads data (score, clean, augment, publish, card generate).</summary>
    public IEnumerable<Option> Options => [_nullTokens, _nullable, _key, _text, _delimiter];

    public QualityProfile Apply(ParseResult parse, QualityProfile profile)
    {
        var declared = profile.DeclaredColumns.ToList();
        IReadOnlyList<string> Columns(Option<string?> option)
        {
            var names = List(parse.GetValue(option), option.Name);
            declared.AddRange(names.Select(n => (option.Name, n)));
            return names;
        }

        if (parse.GetValue(_nullTokens) is { } tokens)
        {
            // The empty value stays missing whatever the tokens (the quality model's definition).
            profile = profile with { NullTokens = [.. tokens.Split(',').Select(t => t.Trim()).Prepend(string.Empty).Distinct(StringComparer.Ordinal)] };
        }

        var nullable = Columns(_nullable);
        var key = Columns(_key);
        var text = Columns(_text);
        return profile with
        {
            NullableColumns = [.. profile.NullableColumns.Concat(nullable).Distinct(StringComparer.Ordinal)],
            KeyColumns = key.Count > 0 ? key : profile.KeyColumns,
            TextColumns = [.. profile.TextColumns.Concat(text).Distinct(StringComparer.Ordinal)],
            DeclaredColumns = declared,
        };
    }

    public char? Delimiter(ParseResult parse) => parse.GetValue(_delimiter) switch
    {
        null => null,
        "comma" or "," => ',',
        "semicolon" or ";" => ';',
        "tab" or "\\t" or "\t" => '\t',
        "pipe" or "|" => '|',
        { Length: 1 } one when one[0] is > ' ' and < (char)127 and not '"' => one[0],
        var other => throw new UsageException($"--delimiter '{other}': expected one printable ASCII character other than '\"', or comma, semicolon, tab or pipe"),
    };

    private static List<string> List(string? value, string flag)
    {
        if (value is null)
        {
            return [];
        }

        var names = value.Split(',').Select(n => n.Trim()).ToList();
        return names.Any(n => n.Length == 0) ? throw new UsageException($"{flag} '{value}': an empty column name") : names;
    }
}
