using System.Text.Json.Nodes;
using Alimentar.Hub.Cards;
using Alimentar.Tests.Support;

namespace Alimentar.Tests.Publishing;

public sealed class CardCliTests
{
    private readonly string _dir = TestPaths.NewTempDir();

    private string Data()
    {
        var folder = Path.Combine(_dir, "data");
        Directory.CreateDirectory(folder);
        var lines = new List<string> { "id,text,label" };
        lines.AddRange(Enumerable.Range(0, 1200).Select(i => $"{i},sentence {i} about item {i * 7 % 13},{(i % 3 == 0 ? "neg" : "pos")}"));
        File.WriteAllLines(Path.Combine(folder, "train.csv"), lines);
        File.WriteAllLines(Path.Combine(folder, "validation.csv"), lines.Take(1).Concat(Enumerable.Range(5000, 150).Select(i => $"{i},held-out sentence {i},pos")));
        return folder;
    }

    [Fact]
    public async Task GenerateWritesACardThatValidatesHereAndOnTheServerAndRefreshesAnExistingOne()
    {
        var output = Path.Combine(_dir, "README.md");
        var result = CliRunner.Run("card", "generate", Data(), "--repo", "paiml/my-dataset", "--license", "apache-2.0", "--task-category", "text-classification", "--language", "en", "--output", output);
        Assert.True(result.ExitCode == 0, result.Stderr);
        var card = await File.ReadAllTextAsync(output);
        var metadata = DatasetCard.Parse(card).Metadata();
        var info = CardYaml.ReadDatasetInfo(metadata)!;
        Assert.Equal(["train", "validation"], info.Splits.Select(s => s.Name));
        Assert.Equal([1200L, 150L], info.Splits.Select(s => s.NumExamples));
        Assert.Equal(["id", "text", "label"], info.Features.Select(f => f.Name));
        Assert.Equal(new ValueFeature("int64"), info.Features[0].Feature);
        Assert.Contains("size_categories:\n- 1K<n<10K\n", card);
        Assert.Contains("pretty_name: My Dataset\n", card);
        Assert.Contains("load_dataset(\"paiml/my-dataset\")", card);
        Assert.Contains("## Data quality", card);
        Assert.Contains("Quality score **", card);

        await using var hub = await LocalHub.StartAsync();
        using var client = hub.Client();
        Assert.Empty(await client.ValidateYamlAsync(card, Alimentar.Hub.Repos.RepoType.Dataset));

        // Running it again on the user's edited card keeps the edits.
        await File.WriteAllTextAsync(output, card.Replace("## Usage", "## Background\n\nWritten by us.\n\n## Usage", StringComparison.Ordinal).Replace("license: apache-2.0", "license: apache-2.0\nmultilinguality:\n- monolingual", StringComparison.Ordinal));
        Assert.Equal(0, CliRunner.Run("card", "generate", Data(), "--repo", "paiml/my-dataset", "--output", output, "-q").ExitCode);
        var refreshed = await File.ReadAllTextAsync(output);
        Assert.Contains("Written by us.", refreshed);
        Assert.Contains("multilinguality:\n- monolingual", refreshed);
        Assert.Contains("license: apache-2.0", refreshed);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(refreshed, "<!-- alimentar:data-quality -->"));
    }

    [Fact]
    public void ValidateReportsErrorsWithSuggestionsAndExitsOne()
    {
        var bad = Path.Combine(_dir, "bad.md");
        File.WriteAllText(bad, "---\nlicense: apache2\ntask_categories:\n- text2text-generation\n---\n# x\n");
        var text = CliRunner.Run("card", "validate", bad);
        Assert.Equal(1, text.ExitCode);
        Assert.Contains("ERROR: Invalid 'task_categories': 'text2text-generation' is not valid", text.Stdout);
        Assert.Contains("  - text-generation", text.Stdout);
        Assert.Contains("apache-2.0", text.Stdout);

        var json = CliRunner.Run("card", "validate", bad, "--json");
        Assert.Equal(1, json.ExitCode);
        var parsed = JsonNode.Parse(json.Stdout)!;
        Assert.False(parsed["valid"]!.GetValue<bool>());
        Assert.Equal(2, parsed["errors"]!.AsArray().Count);
        Assert.Contains("apache-2.0", parsed["errors"]!.AsArray().SelectMany(e => e!["suggestions"]!.AsArray()).Select(s => s!.GetValue<string>()));

        var good = Path.Combine(_dir, "good.md");
        File.WriteAllText(good, "---\nlicense: mit\n---\n# x\n");
        var ok = CliRunner.Run("card", "validate", good);
        Assert.Equal(0, ok.ExitCode);
        Assert.Contains("valid", ok.Stdout);
        Assert.Equal(2, CliRunner.Run("card", "validate", Path.Combine(_dir, "missing.md")).ExitCode);
    }
}
