using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Alimentar.Data.Text;

/// <summary>
/// YAML from untrusted sources (profiles, dataset cards, request bodies) loaded with a nesting limit. Building the
/// node tree recurses once per level, so 60,000 nested brackets in a 200 KB request overflowed the server's stack;
/// the limit is checked first on the parser's event stream, which does not recurse, and stops at the first level
/// too deep.
/// </summary>
public static class BoundedYaml
{
    /// <summary>Deeper than any card or profile needs (the Hub's own metadata nests four or five levels).</summary>
    public const int MaxDepth = 64;

    /// <exception cref="YamlException">The text is not YAML, or nests deeper than <paramref name="maxDepth"/>.</exception>
    public static YamlStream Load(string yaml, int maxDepth = MaxDepth)
    {
        try
        {
            return LoadChecked(yaml, maxDepth);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or IndexOutOfRangeException)
        {
            // YamlDotNet fails this way on some malformed input (found by fuzzing): it is still "not YAML".
            throw new YamlException($"not valid YAML ({ex.Message})");
        }
    }

    private static YamlStream LoadChecked(string yaml, int maxDepth)
    {
        var parser = new Parser(new StringReader(yaml));
        var depth = 0;
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case MappingStart or SequenceStart:
                    if (++depth > maxDepth)
                    {
                        throw new YamlException(parser.Current.Start, parser.Current.End, $"nesting deeper than {maxDepth} levels");
                    }

                    break;
                case MappingEnd or SequenceEnd:
                    depth--;
                    break;
            }
        }

        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream;
    }
}
