using System.Text.Json.Nodes;
using Alimentar.Tests.Support;

namespace Alimentar.Tests.Cli;

/// <summary>What needed a profile file, as flags of quality score: --null-tokens, --nullable, --key, --text-columns, --delimiter.</summary>
public sealed class ProfileFlagTests
{
    private readonly string _dir = TestPaths.NewTempDir();

    private string Csv(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static JsonNode Score(params string[] args)
    {
        var result = CliRunner.Run(["quality", "score", .. args, "--json"]);
        Assert.True(result.ExitCode is 0 or 1, result.Stderr);
        return JsonNode.Parse(result.Stdout)!;
    }

    private static IEnumerable<JsonNode> Findings(JsonNode report, string id) => report["findings"]!.AsArray().Where(f => (string?)f!["id"] == id)!;

    [Fact]
    public void NullTokensGivenOnTheCommandLineCountAsMissingEvenInATextColumn()
    {
        // 'NA' is Namibia to the default reading of a text column, missing when the user says so.
        var path = Csv("countries.csv", "code,name\nNA,Namibia\nFR,France\nNA,Namibia again\nDE,Germany\n");
        Assert.Contains(Findings(Score(path), "token-as-value"), f => ((string)f["message"]!).Contains("'NA'", StringComparison.Ordinal));
        var missing = Assert.Single(Findings(Score(path, "--null-tokens", "NA"), "missing-values"));
        Assert.Equal(2, (long)missing["count"]!);
    }

    [Fact]
    public void NullableColumnsRaiseNoMissingFinding()
    {
        var path = Csv("notes.csv", "id,note\n1,\n2,x\n3,\n4,\n");
        Assert.NotEmpty(Findings(Score(path), "missing-values"));
        Assert.Empty(Findings(Score(path, "--nullable", "note"), "missing-values"));
    }

    [Fact]
    public void AKeyGivenAsAFlagIsCheckedForDuplicates()
    {
        var path = Csv("keys.csv", "id,day,value\n1,mon,3\n1,mon,4\n2,mon,5\n");
        Assert.Empty(Findings(Score(path), "duplicate-keys"));
        var duplicate = Assert.Single(Findings(Score(path, "--key", "id,day"), "duplicate-keys"));
        Assert.Equal(1, (long)duplicate["count"]!);
    }

    [Fact]
    public void TextColumnsChooseWhatNearDuplicatesAreComparedOn()
    {
        var path = Csv("short.csv", "id,title\n1,red shoes\n2,red shoes!\n3,blue hat\n");
        var near = Assert.Single(Findings(Score(path, "--near-duplicates", "--text-columns", "title"), "near-duplicates"));
        Assert.Equal(["title"], near["columns"]!.AsArray().Select(c => (string)c!));
    }

    [Theory]
    [InlineData("pipe", "a|b|c\n1|2|3\n4|5|6\n")]
    [InlineData("|", "a|b|c\n1|2|3\n4|5|6\n")]
    [InlineData("tab", "a\tb\tc\n1\t2\t3\n4\t5\t6\n")]
    [InlineData(";", "a;b;c\n1;2;3\n4;5;6\n")]
    public void TheDelimiterFlagChoosesTheSeparator(string flag, string text)
    {
        var report = Score(Csv("d.csv", text), "--delimiter", flag);
        Assert.Equal(["a", "b", "c"], report["columns"]!.AsArray().Select(c => (string)c!["name"]!));
    }

    [Theory]
    [InlineData("--nullable", "nots", "error: --nullable 'nots': the dataset has no such column (did you mean 'note'? columns: 'id', 'note')")]
    [InlineData("--key", "id,dya", "error: --key 'dya': the dataset has no such column (did you mean 'id'? columns: 'id', 'note')")]
    [InlineData("--delimiter", "::", "error: --delimiter '::': expected one printable ASCII character other than '\"', or comma, semicolon, tab or pipe")]
    [InlineData("--text-columns", "note,", "error: --text-columns 'note,': an empty column name")]
    public void AFlagNamingAColumnTheDataLacksIsRefusedWithTheClosestName(string flag, string value, string expected)
    {
        var result = CliRunner.Run("quality", "score", Csv("n.csv", "id,note\n1,a\n"), flag, value);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal(expected, result.Stderr.Trim());
    }

    [Fact]
    public void CleanTakesTheSameFlags()
    {
        var path = Csv("notes.csv", "id,note\n1,\n2,x\n3,\n4,y\n");
        var strict = Path.Combine(_dir, "strict.csv");
        var lenient = Path.Combine(_dir, "lenient.csv");
        Assert.Equal(0, CliRunner.Run("clean", path, "--output", strict, "--remove-nulls", "--quiet").ExitCode);
        Assert.Equal(0, CliRunner.Run("clean", path, "--output", lenient, "--remove-nulls", "--nullable", "note", "--quiet").ExitCode);
        Assert.Equal(3, File.ReadAllLines(strict).Length); // header and the two rows with a note
        Assert.Equal(5, File.ReadAllLines(lenient).Length);

        var typo = CliRunner.Run("clean", path, "--output", Path.Combine(_dir, "typo.csv"), "--remove-nulls", "--nullable", "nots");
        Assert.Equal(2, typo.ExitCode);
        Assert.StartsWith("error: --nullable 'nots': the dataset has no such column (did you mean 'note'?", typo.Stderr.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public void EveryCommandThatReadsDataTakesTheDelimiter()
    {
        // A colon is never detected: without the flag the file is one column "id:colour:size".
        var lines = new List<string> { "id:colour:size" };
        for (var i = 0; i < 40; i++)
        {
            lines.Add($"{i % 30}:{(i % 2 == 0 ? "red" : "blue")}:{i % 5}");
        }

        var path = Csv("colon.csv", string.Join("\n", lines) + "\n");
        Assert.Single(Score(path)["columns"]!.AsArray());

        var cleaned = Path.Combine(_dir, "clean.csv");
        var clean = CliRunner.Run("clean", path, "--output", cleaned, "--deduplicate", "--delimiter", ":", "--json");
        Assert.True(clean.ExitCode is 0 or 1, clean.Stderr);
        Assert.Equal("id,colour,size", File.ReadLines(cleaned).First());
        Assert.Equal(31, File.ReadAllLines(cleaned).Length); // header and the 30 distinct rows

        var augmented = Path.Combine(_dir, "augment.csv");
        var augment = CliRunner.Run("augment", path, "--output", augmented, "--synthetic-samples", "10", "--delimiter", ":", "--quiet");
        Assert.True(augment.ExitCode is 0 or 1, augment.Stderr);
        Assert.StartsWith("id,colour,size", File.ReadLines(augmented).First(), StringComparison.Ordinal);
        Assert.Equal(51, File.ReadAllLines(augmented).Length);

        var card = CliRunner.Run("card", "generate", path, "--delimiter", ":", "--quiet");
        Assert.True(card.ExitCode == 0, card.Stderr);
        foreach (var name in new[] { "name: id", "name: colour", "name: size" })
        {
            Assert.Contains(name, card.Stdout, StringComparison.Ordinal);
        }
    }
}
