using System.Text.Json;

namespace Alimentar.Hub.Cards;

/// <summary>Allowed dataset-card values (task categories, task ids, licenses, size categories), embedded from card-metadata.json.</summary>
public sealed class CardMetadata
{
    private static readonly Lazy<CardMetadata> Embedded = new(() =>
    {
        using var stream = typeof(CardMetadata).Assembly.GetManifestResourceStream("card-metadata.json")
            ?? throw new InvalidOperationException("card-metadata.json is not embedded");
        return Load(stream);
    });

    public static CardMetadata Default => Embedded.Value;

    public required IReadOnlyList<string> TaskCategories { get; init; }

    /// <summary>Categories marked hideInDatasets: likely rejected by the Hub in dataset cards.</summary>
    public required IReadOnlySet<string> HiddenTaskCategories { get; init; }

    /// <summary>task_id → parent task category.</summary>
    public required IReadOnlyDictionary<string, string> TaskIds { get; init; }

    public required IReadOnlyList<string> Licenses { get; init; }

    public required IReadOnlyList<string> SizeCategories { get; init; }

    public static CardMetadata Load(Stream json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var categories = root.GetProperty("task_categories").EnumerateArray().ToList();
        var taskIds = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var t in root.GetProperty("task_ids").EnumerateArray())
        {
            taskIds.TryAdd(t.GetProperty("id").GetString()!, t.TryGetProperty("parent", out var p) ? p.GetString() ?? string.Empty : string.Empty);
        }

        return new CardMetadata
        {
            TaskCategories = categories.Select(c => c.GetProperty("id").GetString()!).ToList(),
            HiddenTaskCategories = categories.Where(c => c.TryGetProperty("hidden", out var h) && h.ValueKind == JsonValueKind.True).Select(c => c.GetProperty("id").GetString()!).ToHashSet(StringComparer.Ordinal),
            TaskIds = taskIds,
            Licenses = root.GetProperty("licenses").EnumerateArray().Select(l => l.GetProperty("id").GetString()!).ToList(),
            SizeCategories = root.GetProperty("size_categories").EnumerateArray().Select(s => s.GetProperty("id").GetString()!)
                .Concat(root.GetProperty("size_category_specials").EnumerateArray().Select(s => s.GetProperty("id").GetString()!)).ToList(),
        };
    }
}
