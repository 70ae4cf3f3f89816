using System.Globalization;
using System.Text;
using Alimentar.Hub.Cards;
using Alimentar.Pipelines.Publishing;
using Alimentar.Quality;
using Alimentar.Quality.Reports;
using Alimentar.Transforms.Clean;
using YamlDotNet.RepresentationModel;

namespace Alimentar.Pipelines.Cards;

/// <summary>
/// The dataset card of a prepared dataset: the front matter <c>datasets.push_to_hub</c> writes (<c>dataset_info</c>,
/// <c>configs</c>) plus <c>size_categories</c> and the keys the user asked for, and a body with the usual sections
/// and a Data quality section. Given the user's README, its prose and its own keys stay; the generated keys and
/// the generated sections (between <c>alimentar:</c> markers) are refreshed.
/// </summary>
public static class CardBuilder
{
    public const string QualitySection = "data-quality";
    public const string StructureSection = "structure";

    /// <param name="prepared">What is published.</param>
    /// <param name="repoId">namespace/name, for the title and the loading snippet; null when unknown.</param>
    /// <param name="options">License, task categories, languages, tags, pretty name, profile.</param>
    /// <param name="existing">The user's README (or the repo's), null for a new card.</param>
    /// <param name="keptSplits">Splits of an earlier publish still in the repo (not republished now), kept in the metadata.</param>
    public static string Build(PreparedDataset prepared, string? repoId, PublishOptions options, string? existing, IReadOnlyList<SplitInfo>? keptSplits = null)
    {
        var card = existing is null ? DatasetCard.Empty() : DatasetCard.Parse(existing);
        var info = keptSplits is { Count: > 0 } ? prepared.Info with { Splits = [.. prepared.Info.Splits, .. keptSplits] } : prepared.Info;
        var name = options.PrettyName ?? PrettyName(repoId, prepared);
        var keys = UserKeys(options, card, name).ToList();
        keys.Add(new("size_categories", CardYaml.List([SizeCategories.For(info.NumExamples)])));
        keys.Add(new("dataset_info", CardYaml.DatasetInfoNode(info)));
        keys.Add(new("configs", CardYaml.ConfigsNode(info)));
        card.WithKeys(keys);

        if (existing is null)
        {
            card.WithBody(NewBody(name ?? repoId ?? "Dataset", repoId, prepared, info, options));
        }
        else if (card.Body.Contains($"<!-- alimentar:{StructureSection} -->", StringComparison.Ordinal))
        {
            card.WithSection(StructureSection, Structure(prepared, info));
        }

        card.WithSection(QualitySection, Quality(prepared, options));
        return card.ToString();
    }

    /// <summary>The keys the user gave (pretty name, license, task categories, languages, tags), as they go into the card.</summary>
    public static IReadOnlyList<KeyValuePair<string, YamlNode>> UserKeys(PublishOptions options, DatasetCard? existing, string? defaultPrettyName = null)
    {
        var keys = new List<KeyValuePair<string, YamlNode>>();
        var hasName = existing?.Metadata().Children.ContainsKey(new YamlScalarNode("pretty_name")) ?? false;
        if ((options.PrettyName ?? (hasName ? null : defaultPrettyName)) is { } name)
        {
            keys.Add(new("pretty_name", CardYaml.Text(name)));
        }

        if (options.License is not null)
        {
            keys.Add(new("license", CardYaml.Text(options.License)));
        }

        if (options.TaskCategories.Count > 0)
        {
            keys.Add(new("task_categories", CardYaml.List(options.TaskCategories)));
        }

        if (options.Languages.Count > 0)
        {
            keys.Add(new("language", CardYaml.List(options.Languages)));
        }

        if (options.Tags.Count > 0)
        {
            keys.Add(new("tags", CardYaml.List(options.Tags)));
        }

        return keys;
    }

    private static string? PrettyName(string? repoId, PreparedDataset prepared)
    {
        var name = repoId?.Split('/')[^1] ?? Path.GetFileNameWithoutExtension(prepared.Inputs[0]);
        var words = name.Replace('_', ' ').Replace('-', ' ').Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Length == 0 ? null : string.Join(' ', words.Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
    }

    private static string NewBody(string title, string? repoId, PreparedDataset prepared, DatasetInfo info, PublishOptions options)
    {
        var sb = new StringBuilder();
        sb.Append("# ").Append(title).Append("\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"{N(info.NumExamples)} rows and {info.Features.Count} columns in {string.Join(", ", info.Splits.Select(s => $"`{s.Name}`"))}, published with alimentar after a data-quality check (below).\n\n");
        sb.Append("## Dataset structure\n\n");
        sb.Append($"<!-- alimentar:{StructureSection} -->\n").Append(Structure(prepared, info).TrimEnd('\n')).Append($"\n<!-- /alimentar:{StructureSection} -->\n\n");
        sb.Append("## Usage\n\n");
        var id = repoId ?? "<namespace>/<name>";
        sb.Append("```python\nfrom datasets import load_dataset\n\n").Append(CultureInfo.InvariantCulture, $"ds = load_dataset(\"{id}\")\n```\n\n");
        sb.Append("```sql\n-- DuckDB\n").Append(CultureInfo.InvariantCulture, $"SELECT * FROM 'hf://datasets/{id}/{info.DataDir}/{info.Splits[0].Name}-*.parquet' LIMIT 10;\n```\n\n");
        if (options.License is not null)
        {
            sb.Append("## License\n\n").Append(CultureInfo.InvariantCulture, $"`{options.License}`\n\n");
        }

        sb.Append("## Data quality\n\n");
        return sb.ToString();
    }

    private static string Structure(PreparedDataset prepared, DatasetInfo info)
    {
        var sb = new StringBuilder();
        sb.Append("| Split | Rows | Files | Parquet size |\n|---|---|---|---|\n");
        var shardsBySplit = prepared.Splits.ToDictionary(s => s.Split, s => s.Shards, StringComparer.Ordinal);
        foreach (var split in info.Splits)
        {
            var files = shardsBySplit.TryGetValue(split.Name, out var shards) ? shards.Count.ToString(CultureInfo.InvariantCulture) : "earlier";
            var size = shards is null ? string.Empty : DatasetPreparer.Bytes(shards.Sum(s => s.FileBytes));
            sb.Append(CultureInfo.InvariantCulture, $"| `{split.Name}` | {N(split.NumExamples)} | {files} | {size} |\n");
        }

        sb.Append("\n| Column | Type |\n|---|---|\n");
        foreach (var feature in info.Features)
        {
            sb.Append(CultureInfo.InvariantCulture, $"| {Cell(feature.Name)} | `{Describe(feature.Feature)}` |\n");
        }

        return sb.ToString();
    }

    private static string Describe(CardFeature feature) => feature switch
    {
        ValueFeature v => v.Dtype,
        ListFeature l => $"list<{Describe(l.Item)}>{(l.Length is { } n ? $"[{n}]" : string.Empty)}",
        StructFeature s => $"struct<{string.Join(", ", s.Fields.Select(f => $"{f.Name}: {Describe(f.Feature)}"))}>",
        ClassLabelFeature c => $"class_label({c.Names.Count})",
        _ => "?",
    };

    /// <summary>The Data quality section: badge, score and grade, dimensions, profile, cleaning, main findings.</summary>
    public static string Quality(PreparedDataset prepared, PublishOptions options)
    {
        var final = prepared.Final;
        var sb = new StringBuilder();
        var color = final.Grade switch { "A" => "brightgreen", "B" => "green", "C" => "orange", _ => "red" };
        var badge = Uri.EscapeDataString($"{ReportWriters.Score(final.Score)} ({final.Grade})").Replace("-", "--", StringComparison.Ordinal);
        sb.Append(CultureInfo.InvariantCulture, $"![Data quality: {ReportWriters.Score(final.Score)} (Grade {final.Grade})](https://img.shields.io/badge/data%20quality-{badge}-{color})\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"Quality score **{ReportWriters.Score(final.Score)} (Grade {final.Grade})** with the `{final.Profile}` profile, over {N(final.Rows)} rows");
        sb.Append(prepared.GateSkipped ? $". **Published below the {GateMessages.Threshold(options.MinGrade)}% gate (--skip-quality-gate).**\n\n" : ".\n\n");
        sb.Append("| Dimension | Score | Weight |\n|---|---|---|\n");
        foreach (var (name, d) in new[] { ("Completeness", final.Dimensions.Completeness), ("Uniqueness", final.Dimensions.Uniqueness), ("Consistency", final.Dimensions.Consistency), ("Schema", final.Dimensions.Schema) })
        {
            sb.Append(CultureInfo.InvariantCulture, $"| {name} | {(d.Score is { } s ? ReportWriters.Score(s) : "n/a")} | {d.Weight.ToString("0.##", CultureInfo.InvariantCulture)} |\n");
        }

        sb.Append('\n');
        if (prepared.Cleaning is { } cleaning)
        {
            sb.Append(CultureInfo.InvariantCulture, $"Before publishing, the data scored {ReportWriters.Score(prepared.Before.Score)} (Grade {prepared.Before.Grade}) and was cleaned ({prepared.CleanDecision}) with `alimentar clean --remove-nulls --deduplicate --validate-types --normalize-text`: ");
            sb.Append(Cleaned(cleaning)).Append("\n\n");
        }

        var main = final.Findings.Where(f => f.Severity != Severity.Info).Take(5).ToList();
        if (main.Count == 0)
        {
            sb.Append("No findings above info level.\n");
        }
        else
        {
            sb.Append("Main findings:\n\n");
            foreach (var f in main)
            {
                sb.Append(CultureInfo.InvariantCulture, $"- **{f.Severity.ToString().ToUpperInvariant()}** {Cell(f.Message)}\n");
            }
        }

        return sb.ToString();
    }

    /// <summary>"2,000 rows in, 1,812 out; removed 120 rows missing a required value and 68 duplicate rows; cells changed: normalize-text 45."</summary>
    public static string Cleaned(CleanResult cleaning)
    {
        var removed = cleaning.RowsRemoved.Where(r => r.Value > 0).Select(r => r.Key switch
        {
            RemovalReasons.Missing => $"{Rows(r.Value)} missing a required value",
            RemovalReasons.Duplicate => $"{N(r.Value)} duplicate {(r.Value == 1 ? "row" : "rows")}",
            RemovalReasons.NearDuplicate => $"{N(r.Value)} near-duplicate {(r.Value == 1 ? "row" : "rows")}",
            _ => $"{Rows(r.Value)} ({r.Key})",
        }).ToList();
        var changed = cleaning.CellChanges.GroupBy(c => c.Step).Select(g => $"{g.Key} {N(g.Sum(c => c.Changed))}").ToList();
        var text = $"{N(cleaning.RowsIn)} rows in, {N(cleaning.RowsOut)} out";
        text += removed.Count > 0 ? $"; removed {string.Join(" and ", removed)}" : string.Empty;
        text += changed.Count > 0 ? $"; cells changed: {string.Join(", ", changed)}" : string.Empty;
        return text + ".";

        static string Rows(long n) => $"{N(n)} {(n == 1 ? "row" : "rows")}";
    }

    private static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace('\n', ' ');
}
