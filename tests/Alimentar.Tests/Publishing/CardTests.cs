using Alimentar.Hub.Cards;
using Alimentar.Pipelines.Cards;
using Alimentar.Semantics;
using Apache.Arrow;
using Apache.Arrow.Types;
using YamlDotNet.RepresentationModel;

namespace Alimentar.Tests.Publishing;

public sealed class CardTests
{
    private static readonly Schema Nested = new Schema.Builder()
        .Field(new Field("text", StringType.Default, true))
        .Field(new Field("label", new DictionaryType(Int32Type.Default, StringType.Default, false), true))
        .Field(new Field("tokens", new ListType(new Field("item", StringType.Default, true)), true))
        .Field(new Field("scores", new FixedSizeListType(new Field("item", FloatType.Default, true), 3), true))
        .Field(new Field("embedding", new LargeListType(new Field("item", FloatType.Default, true)), true))
        .Field(new Field("meta", new StructType([new Field("ts", new TimestampType(TimeUnit.Microsecond, "UTC"), true), new Field("price", new Decimal128Type(10, 2), true)]), true))
        .Field(new Field("spans", new ListType(new Field("item", new StructType([new Field("start", Int32Type.Default, true), new Field("end", Int32Type.Default, true)]), true)), true))
        .Field(new Field("day", Date32Type.Default, true))
        .Field(new Field("flag", BooleanType.Default, true))
        .Field(new Field("naive", new TimestampType(TimeUnit.Nanosecond, (string?)null), true))
        .Build();

    [Fact]
    public void ArrowTypesMapToTheDatasetsFeatureYaml()
    {
        var info = new DatasetInfo { Features = ArrowFeatures.FromSchema(Nested), Splits = [new SplitInfo("train", 1234567, 10000)], DownloadSize = 456789 };
        var yaml = CardYaml.Emit([new("dataset_info", CardYaml.DatasetInfoNode(info)), new("configs", CardYaml.ConfigsNode(info))]);

        // The shape card-metadata.md §5 gives for datasets.push_to_hub (PyYAML, list items level with their key).
        Assert.Contains("dataset_info:\n  features:\n  - name: text\n    dtype: string\n", yaml);
        Assert.Contains("  - name: label\n    dtype: string\n", yaml);
        Assert.Contains("  - name: tokens\n    list: string\n", yaml);
        Assert.Contains("  - name: scores\n    list: float32\n    length: 3\n", yaml);
        Assert.Contains("  - name: embedding\n    large_list: float32\n", yaml);
        Assert.Contains("  - name: meta\n    struct:\n    - name: ts\n      dtype: timestamp[us, tz=UTC]\n    - name: price\n      dtype: decimal128(10, 2)\n", yaml);
        Assert.Contains("  - name: spans\n    list:\n    - name: start\n      dtype: int32\n", yaml);
        Assert.Contains("  - name: day\n    dtype: date32\n", yaml);
        Assert.Contains("  - name: flag\n    dtype: bool\n", yaml);
        Assert.Contains("  - name: naive\n    dtype: timestamp[ns]\n", yaml);
        Assert.Contains("  splits:\n  - name: train\n    num_bytes: 1234567\n    num_examples: 10000\n  download_size: 456789\n  dataset_size: 1234567\n", yaml);
        Assert.Contains("configs:\n- config_name: default\n  data_files:\n  - split: train\n    path: data/train-*\n", yaml);

        var parsed = CardYaml.ReadDatasetInfo(DatasetCard.Parse($"---\n{yaml}---\n").Metadata())!;
        Assert.Equal(info.Features, parsed.Features);
        Assert.Equal(info.Splits, parsed.Splits);
        Assert.Equal(info.DownloadSize, parsed.DownloadSize);
        Assert.Equal(info.DatasetSize, parsed.DatasetSize);
    }

    [Fact]
    public void ValuesAYaml11ReaderWouldMisreadAreQuoted()
    {
        var yaml = CardYaml.Emit([new("language", CardYaml.List(["no", "en", "on"])), new("pretty_name", CardYaml.Text("1.0")), new("tags", CardYaml.List(["null", "007", "plain"]))]);
        Assert.Contains("- 'no'\n", yaml);
        Assert.Contains("- 'on'\n", yaml);
        Assert.Contains("- en\n", yaml);
        Assert.Contains("pretty_name: '1.0'\n", yaml);
        Assert.Contains("- 'null'\n", yaml);
        Assert.Contains("- '007'\n", yaml);
        var labels = CardYaml.Emit([new("dataset_info", CardYaml.DatasetInfoNode(new DatasetInfo { Features = [new NamedFeature("label", new ClassLabelFeature(["neg", "pos"]))], Splits = [], DownloadSize = 0 }))]);
        Assert.Contains("        names:\n          '0': neg\n          '1': pos\n", labels);
        var back = CardYaml.ReadDatasetInfo(DatasetCard.Parse($"---\n{labels}---\n").Metadata())!;
        Assert.Equal(new ClassLabelFeature(["neg", "pos"]), back.Features[0].Feature);
    }

    [Fact]
    public void RefreshingKeysKeepsTheUsersKeysCommentsAndProse()
    {
        const string readme = "---\n# my card\nlicense: mit\nannotations_creators:\n- expert-generated\n# sizes below are generated\ndataset_info:\n  old: true\nviewer: false\n---\n# My dataset\n\nHand-written prose.\n";
        var card = DatasetCard.Parse(readme).WithKeys([new("dataset_info", CardYaml.Number(1)), new("configs", CardYaml.List(["x"]))]);
        var text = card.ToString();
        Assert.StartsWith("---\n# my card\nlicense: mit\nannotations_creators:\n- expert-generated\n# sizes below are generated\ndataset_info: 1\nviewer: false\nconfigs:\n- x\n---\n# My dataset\n\nHand-written prose.\n", text);
        Assert.DoesNotContain("old: true", text);

        // A generated section is replaced where it stands, and refreshing twice changes nothing more.
        var once = DatasetCard.Parse(text + "\n## Notes\n\nMore prose.\n").WithSection("data-quality", "first").ToString();
        var twice = DatasetCard.Parse(once).WithSection("data-quality", "second").ToString();
        Assert.Contains("<!-- alimentar:data-quality -->\nsecond\n<!-- /alimentar:data-quality -->", twice);
        Assert.DoesNotContain("first", twice);
        Assert.Equal(DatasetCard.Parse(twice).WithSection("data-quality", "second").ToString(), twice);
        Assert.Contains("More prose.", twice);
    }

    [Fact]
    public void AnUnclosedFrontMatterIsAnError()
    {
        Assert.Throws<FormatException>(() => DatasetCard.Parse("---\nlicense: mit\n# no end\n"));
        Assert.Throws<FormatException>(() => DatasetCard.Parse("---\n- a list\n---\n"));
    }

    [Theory]
    [InlineData(0, "unknown")]
    [InlineData(1, "n<1K")]
    [InlineData(999, "n<1K")]
    [InlineData(1000, "1K<n<10K")]
    [InlineData(9999, "1K<n<10K")]
    [InlineData(10_000, "10K<n<100K")]
    [InlineData(5_000_000, "1M<n<10M")]
    [InlineData(999_999_999_999, "100B<n<1T")]
    [InlineData(1_000_000_000_000, "n>1T")]
    public void SizeCategoryBoundsAreInclusiveBelow(long rows, string expected)
    {
        Assert.Equal(expected, SizeCategories.For(rows));
        Assert.Contains(expected, CardMetadata.Default.SizeCategories);
    }

    [Theory]
    [InlineData("train.csv", "train")]
    [InlineData("my_train_file.csv", "train")]
    [InlineData("training-data.jsonl", "train")]
    [InlineData("data/dev.parquet", "validation")]
    [InlineData("valid.csv", "validation")]
    [InlineData("val/part-0.parquet", "validation")]
    [InlineData("eval.parquet", "test")]
    [InlineData("data/test/shard.parquet", "test")]
    [InlineData("testing.csv", "test")]
    [InlineData("data/train-00000-of-00003.parquet", "train")]
    [InlineData("holdout_2024-00001-of-00002.parquet", "holdout_2024")]
    [InlineData("reviews.csv", null)]
    [InlineData("contest.csv", null)]
    [InlineData("interval.csv", null)]
    [InlineData("trainer.csv", null)]
    public void SplitsComeFromFileAndFolderNames(string path, string? split) => Assert.Equal(split, SplitNames.FromPath(path));

    [Fact]
    public void GeneratedMetadataPassesTheValidator()
    {
        var info = new DatasetInfo { Features = ArrowFeatures.FromSchema(Nested), Splits = [new SplitInfo("train", 10, 2), new SplitInfo("test", 5, 1)], DownloadSize = 3 };
        var yaml = CardYaml.Emit(
        [
            new("license", CardYaml.Text("apache-2.0")),
            new("task_categories", CardYaml.List(["text-classification"])),
            new("language", CardYaml.List(["en", "no"])),
            new("size_categories", CardYaml.List([SizeCategories.For(info.NumExamples)])),
            new("dataset_info", CardYaml.DatasetInfoNode(info)),
            new("configs", CardYaml.ConfigsNode(info)),
        ]);
        var result = new DatasetCardValidator().Validate($"---\n{yaml}---\n# x\n", ["data/train-00000-of-00001.parquet", "data/test-00000-of-00001.parquet", "README.md"]);
        Assert.True(result.IsValid, string.Join("\n", result.Issues.Select(i => i.Format())));
        var language = (YamlSequenceNode)DatasetCard.Parse($"---\n{yaml}---\n").Metadata().Children[new YamlScalarNode("language")];
        Assert.Equal(["en", "no"], language.Children.Select(c => ((YamlScalarNode)c).Value));
    }
}
