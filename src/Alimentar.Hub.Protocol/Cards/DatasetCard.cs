using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Alimentar.Hub.Cards;

/// <summary>
/// A README.md as the Hub reads it: YAML front matter between <c>---</c> lines, then Markdown. Refreshing keys or
/// a generated section keeps everything else as the user wrote it, byte for byte: other keys (with their comments
/// and layout), the prose, and where the generated section sits.
/// </summary>
public sealed class DatasetCard
{
    private const string SectionEnd = "<!-- /alimentar:{0} -->";

    private DatasetCard(string? frontMatter, string body)
    {
        FrontMatter = frontMatter;
        Body = body;
    }

    /// <summary>The YAML between the <c>---</c> lines (ending in a newline), or null when there is none.</summary>
    public string? FrontMatter { get; private set; }

    public string Body { get; private set; }

    /// <exception cref="FormatException">The front matter is not closed, or not a YAML mapping.</exception>
    public static DatasetCard Parse(string text)
    {
        text = text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimStart('\uFEFF');
        if (!text.StartsWith("---\n", StringComparison.Ordinal))
        {
            return new DatasetCard(null, text);
        }

        var end = text.IndexOf("\n---", 3, StringComparison.Ordinal);
        if (end < 0)
        {
            throw new FormatException("the YAML front matter is not closed by a '---' line");
        }

        var yaml = text[4..(end + 1)];
        var afterMarker = text.IndexOf('\n', end + 1);
        var body = afterMarker < 0 ? string.Empty : text[(afterMarker + 1)..];
        var card = new DatasetCard(yaml, body);
        card.Metadata();
        return card;
    }

    public static DatasetCard Empty() => new(null, string.Empty);

    /// <summary>The front matter as a YAML mapping (empty when there is none).</summary>
    public YamlMappingNode Metadata()
    {
        if (string.IsNullOrWhiteSpace(FrontMatter))
        {
            return new YamlMappingNode();
        }

        try
        {
            var stream = Alimentar.Data.Text.BoundedYaml.Load(FrontMatter);
            if (stream.Documents.Count == 0)
            {
                return new YamlMappingNode();
            }

            return stream.Documents[0].RootNode as YamlMappingNode ?? throw new FormatException("the YAML front matter is not a mapping");
        }
        catch (YamlException ex)
        {
            throw new FormatException($"invalid YAML in the front matter at line {ex.Start.Line + 1}: {ex.Message.Split('\n')[0]}", ex);
        }
    }

    /// <summary>
    /// Sets top-level keys: a key the card has is replaced where it stands, a new one is appended; every other key
    /// keeps its text.
    /// </summary>
    public DatasetCard WithKeys(IReadOnlyList<KeyValuePair<string, YamlNode>> entries)
    {
        var blocks = TopLevelBlocks();
        var replaced = new HashSet<string>(StringComparer.Ordinal);
        var output = new System.Text.StringBuilder();
        foreach (var (key, text) in blocks)
        {
            var entry = entries.FirstOrDefault(e => e.Key == key);
            if (key is not null && entry.Key is not null)
            {
                if (replaced.Add(key))
                {
                    output.Append(CardYaml.Emit([entry]));
                    output.Append(TrailingComments(text));
                }
            }
            else
            {
                output.Append(text);
            }
        }

        var added = entries.Where(e => !replaced.Contains(e.Key)).ToList();
        if (added.Count > 0)
        {
            if (output.Length > 0 && output[^1] != '\n')
            {
                output.Append('\n');
            }

            output.Append(CardYaml.Emit(added));
        }

        FrontMatter = output.Length == 0 && FrontMatter is null ? null : output.ToString();
        Metadata();
        return this;
    }

    /// <summary>
    /// Replaces the generated section named <paramref name="name"/> (between <c>&lt;!-- alimentar:name --&gt;</c>
    /// markers) with <paramref name="markdown"/>, or appends it when the body has none.
    /// </summary>
    public DatasetCard WithSection(string name, string markdown)
    {
        var start = $"<!-- alimentar:{name} -->";
        var end = string.Format(System.Globalization.CultureInfo.InvariantCulture, SectionEnd, name);
        var block = $"{start}\n{markdown.TrimEnd('\n')}\n{end}";
        var from = Body.IndexOf(start, StringComparison.Ordinal);
        var to = from < 0 ? -1 : Body.IndexOf(end, from, StringComparison.Ordinal);
        if (from >= 0 && to >= 0)
        {
            Body = Body[..from] + block + Body[(to + end.Length)..];
        }
        else
        {
            Body = (Body.Length == 0 ? string.Empty : Body.TrimEnd('\n') + "\n\n") + block + "\n";
        }

        return this;
    }

    public DatasetCard WithBody(string body)
    {
        Body = body;
        return this;
    }

    public override string ToString() => FrontMatter is null ? Body : $"---\n{FrontMatter}---\n{Body}";

    // Comment and blank lines at the end of a block belong to the key after it: kept when the block is replaced.
    private static string TrailingComments(string block)
    {
        var lines = block.TrimEnd('\n').Split('\n');
        var keep = lines.Reverse().TakeWhile(l => l.Trim().Length == 0 || l.TrimStart().StartsWith('#')).Reverse().ToList();
        return keep.Count == 0 ? string.Empty : string.Join("\n", keep) + "\n";
    }

    // The front matter cut into top-level entries (key, text) by the parser's marks; text between entries (comments,
    // blank lines) stays with the entry that follows it. A null key is text before the first entry.
    private List<(string? Key, string Text)> TopLevelBlocks()
    {
        var yaml = FrontMatter ?? string.Empty;
        var root = Metadata();
        var lines = yaml.Split('\n');
        var starts = root.Children.Select(c => ((YamlScalarNode)c.Key).Value ?? string.Empty)
            .Zip(root.Children.Select(c => (int)c.Key.Start.Line - 1))
            .ToList();
        var blocks = new List<(string?, string)>();
        var lineOffsets = new int[lines.Length + 1];
        for (var i = 0; i < lines.Length; i++)
        {
            lineOffsets[i + 1] = lineOffsets[i] + lines[i].Length + 1;
        }

        int Offset(int line) => Math.Min(lineOffsets[Math.Clamp(line, 0, lines.Length)], yaml.Length);
        var first = starts.Count == 0 ? lines.Length : starts[0].Second;
        if (first > 0)
        {
            blocks.Add((null, yaml[..Offset(first)]));
        }

        for (var i = 0; i < starts.Count; i++)
        {
            var from = Offset(starts[i].Second);
            var to = i + 1 < starts.Count ? Offset(starts[i + 1].Second) : yaml.Length;
            blocks.Add((starts[i].First, yaml[from..to]));
        }

        return blocks;
    }
}
