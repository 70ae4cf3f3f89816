using Alimentar.Quality;
using Alimentar.Tests.Support;

namespace Alimentar.Tests.Quality;

/// <summary>Near duplicates are looked for in prose and code only, and the report says where it looked.</summary>
public sealed class NearDuplicateColumnTests
{
    private readonly string _dir = TestPaths.NewTempDir();

    [Fact]
    public void ATableOfCodesAndNumbersHasNoNearDuplicatesAndSaysWhy()
    {
        // Like a bird-strikes table: rows share most categorical fields but differ in date and speed.
        var lines = new List<string> { "airport,phase,damage,date,speed" };
        for (var i = 0; i < 300; i++)
        {
            lines.Add($"KDEN,Approach,None,2024-01-{1 + (i % 28):00},{100 + i}");
        }

        var path = Path.Combine(_dir, "strikes.csv");
        File.WriteAllLines(path, lines);
        var report = QualityChecker.Score([path], new QualityOptions { NearDuplicates = true });
        Assert.DoesNotContain(report.Findings, f => f.Id == "near-duplicates");
        var skipped = Assert.Single(report.Findings, f => f.Id == "near-duplicates-skipped");
        Assert.StartsWith("Near duplicates not checked: no column holds prose or code", skipped.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ProseIsComparedAndTheReportNamesTheColumnsFoundOrNot()
    {
        var words = "the quick brown fox jumps over a lazy dog while seven wizards quietly judge boxing matches".Split(' ');
        var random = new Random(3);
        string Sentence() => string.Join(' ', Enumerable.Range(0, 12).Select(_ => words[random.Next(words.Length)]));
        var reviews = Enumerable.Range(0, 200).Select(i => $"{i},\"{Sentence()} number {i}\",{i % 3}").ToList();
        var path = Path.Combine(_dir, "reviews.csv");
        File.WriteAllLines(path, ["id,review,stars", .. reviews]);
        var clean = QualityChecker.Score([path], new QualityOptions { NearDuplicates = true });
        var none = Assert.Single(clean.Findings, f => f.Id == "near-duplicates");
        Assert.Equal("No near duplicates: rows compared on 'review'", none.Message);

        // A near copy (one word changed) of row 5 is found, on the same column.
        var copy = reviews[5].Replace("number 5", "number five", StringComparison.Ordinal).Replace("5,\"", "900,\"", StringComparison.Ordinal);
        File.WriteAllLines(path, ["id,review,stars", .. reviews, copy]);
        var found = Assert.Single(QualityChecker.Score([path], new QualityOptions { NearDuplicates = true }).Findings, f => f.Id == "near-duplicates");
        Assert.EndsWith("compared on 'review'", found.Message, StringComparison.Ordinal);
        Assert.Equal(1, found.Count);
    }

    [Fact]
    public void ABirdStrikesLikeTableScoresExactlyAsAPersonWouldJudgeIt()
    {
        // Categorical and numeric columns only, 'None' meaning no damage in 89% of rows: no near duplicates looked
        // for, 'None' read as a value (with the finding that says how to count it as missing), grade A, exit 0.
        var lines = new List<string> { "airport,phase,damage,date,speed" };
        lines.AddRange(Enumerable.Range(0, 300).Select(i => $"KDEN,Approach,{(i % 9 == 0 ? "Minor" : "None")},2024-01-{1 + (i % 28):00},{100 + i}"));
        var path = Path.Combine(_dir, "strikes.csv");
        File.WriteAllLines(path, lines);

        var run = CliRunner.Run("quality", "score", path, "--near-duplicates", "--json", "--quiet");
        Assert.Equal(0, run.ExitCode);
        var report = System.Text.Json.Nodes.JsonNode.Parse(run.Stdout)!;
        Assert.Equal("A", (string)report["grade"]!);
        Assert.Equal(
            [
                "zero-information warn 1 Column 'airport' holds one constant value",
                "zero-information warn 1 Column 'phase' holds one constant value",
                "token-as-value info 266 Column 'damage': 'None' in 88.7% of the rows is read as a value, not as missing, because the column holds text; if it means missing, add it to null_tokens",
                "near-duplicates-skipped info 0 Near duplicates not checked: no column holds prose or code (name them with --text-columns, or columns.text or columns.code in a profile)",
            ],
            report["findings"]!.AsArray().Select(f => $"{f!["id"]} {f["severity"]} {f["count"]} {f["message"]}"));
    }
}
