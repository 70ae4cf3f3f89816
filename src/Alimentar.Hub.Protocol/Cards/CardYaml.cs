using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Alimentar.Hub.Cards;

/// <summary>
/// Card metadata as YAML, in the layout PyYAML gives <c>datasets</c> (block style, list items level with their key,
/// keys in insertion order), and back. Plain YAML only: strings that a YAML 1.1 reader would take for a number, a
/// boolean or null (<c>'no'</c> for Norwegian, <c>'0'</c> class ids) are quoted.
/// </summary>
public static partial class CardYaml
{
    /// <summary>Top-level <c>key: value</c> blocks, each ending in a newline.</summary>
    public static string Emit(IEnumerable<KeyValuePair<string, YamlNode>> entries)
    {
        var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        var emitter = new Emitter(writer, new EmitterSettings(bestIndent: 2, bestWidth: int.MaxValue, isCanonical: false, maxSimpleKeyLength: 1024));
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, isImplicit: true));
        emitter.Emit(new MappingStart(null, null, isImplicit: true, MappingStyle.Block));
        foreach (var (key, value) in entries)
        {
            EmitNode(emitter, new YamlScalarNode(key));
            EmitNode(emitter, value);
        }

        emitter.Emit(new MappingEnd());
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        var text = writer.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
        return text.EndsWith('\n') ? text : text + "\n";
    }

    /// <summary>A string scalar, quoted when a YAML 1.1 reader would not read it back as this string.</summary>
    public static YamlScalarNode Text(string value) => new(value) { Style = NeedsQuotes(value) ? ScalarStyle.SingleQuoted : ScalarStyle.Any };

    public static YamlScalarNode Number(long value) => new(value.ToString(CultureInfo.InvariantCulture)) { Style = ScalarStyle.Plain };

    public static YamlSequenceNode List(IEnumerable<string> values) => new(values.Select(v => (YamlNode)Text(v)));

    /// <summary>The <c>dataset_info</c> mapping: features, splits, download_size, dataset_size, in the order <c>datasets</c> writes them.</summary>
    public static YamlMappingNode DatasetInfoNode(DatasetInfo info)
    {
        var splits = new YamlSequenceNode(info.Splits.Select(s => (YamlNode)new YamlMappingNode(
            (YamlNode)"name", Text(s.Name), "num_bytes", Number(s.NumBytes), "num_examples", Number(s.NumExamples))));
        return new YamlMappingNode(
            (YamlNode)"features", FeaturesNode(info.Features),
            "splits", splits,
            "download_size", Number(info.DownloadSize),
            "dataset_size", Number(info.DatasetSize));
    }

    /// <summary>The <c>configs</c> list: one default config, each split's files by pattern.</summary>
    public static YamlSequenceNode ConfigsNode(DatasetInfo info) => new(new YamlMappingNode(
        (YamlNode)"config_name", "default",
        "data_files", new YamlSequenceNode(info.Splits.Select(s => (YamlNode)new YamlMappingNode((YamlNode)"split", Text(s.Name), "path", Text(info.PathPattern(s.Name)))))));

    public static YamlSequenceNode FeaturesNode(IReadOnlyList<NamedFeature> features) =>
        new(features.Select(f => (YamlNode)FeatureEntry(f)));

    private static YamlMappingNode FeatureEntry(NamedFeature named)
    {
        var map = new YamlMappingNode { { "name", Text(named.Name) } };
        AddFeature(map, named.Feature);
        return map;
    }

    // A named feature's type keys: `dtype: x`, `list: ...` (+ `length`), `large_list: ...`, `struct: [...]`.
    private static void AddFeature(YamlMappingNode map, CardFeature feature)
    {
        switch (feature)
        {
            case ValueFeature v:
                map.Add("dtype", Text(v.Dtype));
                break;
            case ClassLabelFeature c:
                var names = new YamlMappingNode();
                for (var i = 0; i < c.Names.Count; i++)
                {
                    names.Add(new YamlScalarNode(i.ToString(CultureInfo.InvariantCulture)) { Style = ScalarStyle.SingleQuoted }, Text(c.Names[i]));
                }

                map.Add("dtype", new YamlMappingNode((YamlNode)"class_label", new YamlMappingNode((YamlNode)"names", names)));
                break;
            case ListFeature l:
                map.Add(l.Large ? "large_list" : "list", InnerNode(l.Item));
                if (l.Length is { } length)
                {
                    map.Add("length", Number(length));
                }

                break;
            case StructFeature s:
                map.Add("struct", FeaturesNode(s.Fields));
                break;
        }
    }

    // The item of a list: a bare dtype name (`list: string`), a field list for structs, or a mapping otherwise.
    private static YamlNode InnerNode(CardFeature feature) => feature switch
    {
        ValueFeature v => Text(v.Dtype),
        StructFeature s => FeaturesNode(s.Fields),
        _ => Mapping(feature),
    };

    private static YamlMappingNode Mapping(CardFeature feature)
    {
        var map = new YamlMappingNode();
        AddFeature(map, feature);
        return map;
    }

    /// <summary>Reads <c>dataset_info</c> (a mapping, or the first of a list) and <c>configs</c> back; null when the card has none.</summary>
    public static DatasetInfo? ReadDatasetInfo(YamlMappingNode root)
    {
        if (!root.Children.TryGetValue(new YamlScalarNode("dataset_info"), out var node))
        {
            return null;
        }

        var info = node as YamlMappingNode ?? (node as YamlSequenceNode)?.Children.OfType<YamlMappingNode>().FirstOrDefault();
        if (info is null)
        {
            return null;
        }

        var features = info.Children.TryGetValue(new YamlScalarNode("features"), out var f) && f is YamlSequenceNode list ? ReadFeatures(list) : [];
        var splits = info.Children.TryGetValue(new YamlScalarNode("splits"), out var s) && s is YamlSequenceNode splitList
            ? splitList.Children.OfType<YamlMappingNode>().Select(m => new SplitInfo(Scalar(m, "name") ?? "train", Long(m, "num_bytes"), Long(m, "num_examples"))).ToList()
            : [];
        return new DatasetInfo { Features = features, Splits = splits, DownloadSize = Long(info, "download_size") };
    }

    public static IReadOnlyList<NamedFeature> ReadFeatures(YamlSequenceNode list) =>
        list.Children.OfType<YamlMappingNode>().Select(m => new NamedFeature(Scalar(m, "name") ?? string.Empty, ReadFeature(m))).ToList();

    private static CardFeature ReadFeature(YamlMappingNode map)
    {
        if (map.Children.TryGetValue(new YamlScalarNode("dtype"), out var dtype))
        {
            if (dtype is YamlMappingNode typed && typed.Children.TryGetValue(new YamlScalarNode("class_label"), out var cl)
                && cl is YamlMappingNode classLabel && classLabel.Children.TryGetValue(new YamlScalarNode("names"), out var names) && names is YamlMappingNode nameMap)
            {
                return new ClassLabelFeature(nameMap.Children.OrderBy(c => int.Parse(((YamlScalarNode)c.Key).Value!, CultureInfo.InvariantCulture)).Select(c => ((YamlScalarNode)c.Value).Value ?? string.Empty).ToList());
            }

            return new ValueFeature((dtype as YamlScalarNode)?.Value ?? string.Empty);
        }

        foreach (var (key, large) in new[] { ("list", false), ("large_list", true) })
        {
            if (map.Children.TryGetValue(new YamlScalarNode(key), out var item))
            {
                var length = map.Children.ContainsKey(new YamlScalarNode("length")) ? (int?)Long(map, "length") : null;
                return new ListFeature(ReadInner(item), length, large);
            }
        }

        if (map.Children.TryGetValue(new YamlScalarNode("struct"), out var fields) && fields is YamlSequenceNode fieldList)
        {
            return new StructFeature(ReadFeatures(fieldList));
        }

        return new ValueFeature("null");
    }

    private static CardFeature ReadInner(YamlNode node) => node switch
    {
        YamlScalarNode s => new ValueFeature(s.Value ?? string.Empty),
        YamlSequenceNode fields => new StructFeature(ReadFeatures(fields)),
        YamlMappingNode m => ReadFeature(m),
        _ => new ValueFeature("null"),
    };

    private static string? Scalar(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var v) ? (v as YamlScalarNode)?.Value : null;

    private static long Long(YamlMappingNode map, string key) =>
        long.TryParse(Scalar(map, key), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;

    private static bool NeedsQuotes(string value) => value.Length == 0 || Implicit().IsMatch(value);

    // What YAML 1.1 (PyYAML) resolves to a non-string: booleans, null, integers, floats, sexagesimals.
    [GeneratedRegex(@"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~|[-+]?(?:0|[1-9][0-9_]*|0b[01_]+|0x[0-9a-fA-F_]+|0[0-7_]+)|[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|[-+]?[0-9]+[eE][-+]?[0-9]+)$")]
    private static partial Regex Implicit();

    private static void EmitNode(IEmitter emitter, YamlNode node)
    {
        switch (node)
        {
            case YamlScalarNode scalar:
                var style = scalar.Style == ScalarStyle.Any ? ScalarStyle.Any : scalar.Style;
                emitter.Emit(new Scalar(null, null, scalar.Value ?? string.Empty, style, isPlainImplicit: true, isQuotedImplicit: true));
                break;
            case YamlSequenceNode sequence:
                emitter.Emit(new SequenceStart(null, null, isImplicit: true, SequenceStyle.Block));
                foreach (var child in sequence.Children)
                {
                    EmitNode(emitter, child);
                }

                emitter.Emit(new SequenceEnd());
                break;
            case YamlMappingNode mapping:
                emitter.Emit(new MappingStart(null, null, isImplicit: true, MappingStyle.Block));
                foreach (var (key, value) in mapping.Children)
                {
                    EmitNode(emitter, key);
                    EmitNode(emitter, value);
                }

                emitter.Emit(new MappingEnd());
                break;
        }
    }
}
