using Alimentar.Hub.Cards;
using Alimentar.Hub.Client;
using Alimentar.Hub.Repos;
using Alimentar.Tests.Support;

namespace Alimentar.Tests.Hub;

public sealed class CardAndConfigTests
{
    private static readonly DatasetCardValidator Validator = new();

    [Fact]
    public void DeeplyNestedYamlIsAnErrorNotACrashInCardsAndProfiles()
    {
        var deep = new string('[', 100_000) + new string(']', 100_000);
        var card = Validator.Validate("---\nlicense: " + deep + "\n---\n");
        Assert.Contains(card.Issues, i => i.IsError && i.Message.Contains("nesting deeper than 64 levels", StringComparison.Ordinal));

        var profile = Assert.Throws<Alimentar.Quality.Profiles.ProfileException>(() => Alimentar.Quality.Profiles.ProfileLoader.Parse("name: x\ncolumns: " + deep, "deep.yaml"));
        Assert.StartsWith("deep.yaml: invalid YAML", profile.Message);
        Assert.DoesNotContain('\n', profile.Message);
    }

    [Fact]
    public void ValidCardPasses()
    {
        var result = Validator.Validate("---\nlicense: apache-2.0\ntask_categories:\n  - text-generation\n  - translation\ntask_ids:\n  - text2text-generation\nsize_categories:\n  - 1K<n<10K\nlanguage:\n  - en\n  - pt-BR\nconfigs:\n  - config_name: default\n    data_files:\n      - split: train\n        path: data/train-*.parquet\n---\n# Title\n", ["data/train-00000.parquet", "README.md"]);
        Assert.True(result.IsValid, string.Join("; ", result.Issues.Select(i => i.Message)));
    }

    [Fact]
    public void Text2TextGenerationIsRefusedWithTheGuideSuggestions()
    {
        var result = Validator.Validate("---\ntask_categories:\n  - text2text-generation\n---\n");
        var error = Assert.Single(result.Errors);
        Assert.Equal("Invalid 'task_categories': 'text2text-generation' is not valid", error.Message);
        Assert.Equal(["text-generation", "translation", "text-classification"], error.Suggestions);
        Assert.StartsWith("ERROR: Invalid 'task_categories': 'text2text-generation' is not valid\n\nFix: Use valid HuggingFace task category:\n  - text-generation", error.Format());
    }

    [Theory]
    [InlineData("license: asdf", "license")]
    [InlineData("task_categories: text-generation", "must be a YAML list")]
    [InlineData("task_categories:\n  - other", "hidden")]
    [InlineData("size_categories:\n  - 5<n<6", "size_categories")]
    [InlineData("language:\n  - English", "ISO 639")]
    [InlineData("configs:\n  - config_name: x\n    data_files: nowhere/*.csv", "matches no file")]
    [InlineData("a: [unclosed", "Invalid YAML")]
    public void InvalidValuesAreRefused(string yaml, string expected)
    {
        var result = Validator.Validate($"---\n{yaml}\n---\n", ["data/train.parquet"]);
        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.Message.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void MisspelledLicenseGetsCloseSuggestions()
    {
        var error = Assert.Single(Validator.Validate("---\nlicense: apache2.0\n---\n").Errors);
        Assert.Equal("apache-2.0", error.Suggestions[0]);
    }

    [Fact]
    public void CardWithoutMetadataIsAWarningNotAnError()
    {
        var result = Validator.Validate("# Just a title\n");
        Assert.True(result.IsValid);
        Assert.Single(result.Warnings);
    }

    [Fact]
    public void TaskCategoriesMatchTheInstalledTasksPackage()
    {
        // The embedded list is regenerable from @huggingface/tasks (tools/regen-card-metadata.mjs); it must agree.
        var (exit, output) = Node.Run("list-task-categories.mjs", new Dictionary<string, string>());
        Assert.True(exit == 0, output);
        var fromPackage = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal);
        Assert.Equal(fromPackage, CardMetadata.Default.TaskCategories.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TokenComesFromTheFlagThenTheEnvironmentThenTheTokenFile()
    {
        var dir = TestPaths.NewTempDir();
        File.WriteAllText(Path.Combine(dir, "token"), "hf_from_file\n");
        var env = new Dictionary<string, string?> { ["HF_HOME"] = dir };
        string? Get(string key) => env.GetValueOrDefault(key);
        Assert.Equal("hf_from_file", HubConfig.ResolveToken(null, Get));
        env["HUGGING_FACE_HUB_TOKEN"] = "hf_legacy";
        Assert.Equal("hf_legacy", HubConfig.ResolveToken(null, Get));
        env["HF_TOKEN"] = "hf_env";
        Assert.Equal("hf_env", HubConfig.ResolveToken(null, Get));
        Assert.Equal("hf_flag", HubConfig.ResolveToken("hf_flag", Get));
        env["HF_TOKEN_PATH"] = Path.Combine(dir, "missing");
        env.Remove("HF_TOKEN");
        env.Remove("HUGGING_FACE_HUB_TOKEN");
        Assert.Null(HubConfig.ResolveToken(null, Get));
    }

    [Fact]
    public void EndpointComesFromTheFlagThenHfEndpointThenTheHub()
    {
        Assert.Equal("https://huggingface.co", HubConfig.ResolveEndpoint(null, _ => null));
        Assert.Equal("http://127.0.0.1:9", HubConfig.ResolveEndpoint(null, k => k == "HF_ENDPOINT" ? "http://127.0.0.1:9/" : null));
        Assert.Equal("http://x:1", HubConfig.ResolveEndpoint("http://x:1", k => "http://ignored"));
        Assert.Throws<ArgumentException>(() => HubConfig.ResolveEndpoint("ftp://x", _ => null));
    }

    [Theory]
    [InlineData("paiml/my-dataset", null)]
    [InlineData("paiml/my.dataset_v2", null)]
    [InlineData("no-namespace", "namespace")]
    [InlineData("a/b/c", "namespace")]
    [InlineData("paiml/-bad", "letters")]
    [InlineData("paiml/double--dash", "'--'")]
    [InlineData("paiml/x.git", ".git")]
    public void RepoIdsFollowTheOfficialRules(string id, string? problem)
    {
        var error = RepoId.Validate(id);
        if (problem is null)
        {
            Assert.Null(error);
        }
        else
        {
            Assert.Contains(problem, error);
        }
    }
}
