using System.Text.Json.Nodes;
using Alimentar.Tests.Support;

namespace Alimentar.Tests.Data;

/// <summary>
/// tests/corpus/broken-exports: text exports broken the ways real ones are (ragged rows, unterminated quotes, other
/// separators, Excel's sep= line, UTF-16, Latin-1, repeated, empty and leaked header names, trailing separators,
/// empty files, cut gzip), each scored by the CLI and compared with expected.json: the exit code, then either the
/// one-line error or the grade, the rows, the columns (nothing dropped) and every finding exactly.
/// </summary>
public sealed class BrokenExportCorpusTests
{
    private static readonly string Folder = Path.Combine(TestPaths.RepoRoot, "tests", "corpus", "broken-exports");

    private static JsonObject Expected => JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, "expected.json")))!.AsObject();

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var (name, _) in Expected)
        {
            data.Add(name);
        }

        return data;
    }

    [Fact]
    public void EveryFileOfTheCorpusHasItsExpectation()
    {
        var files = Directory.GetFiles(Folder).Select(Path.GetFileName).Where(f => f != "expected.json").Order(StringComparer.Ordinal);
        Assert.Equal(files, Expected.Select(e => e.Key).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task ABrokenExportScoresExactlyAsExpected(string file)
    {
        var expected = Expected[file]!;

        // Run from the folder so messages name the file as a user would type it.
        var start = CliRunner.StartInfo(["quality", "score", file, "--json", "--quiet"]);
        start.WorkingDirectory = Folder;
        using var process = System.Diagnostics.Process.Start(start)!;
        var reading = process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        var stdout = await reading;
        await process.WaitForExitAsync();

        Assert.Equal((int)expected["exit"]!, process.ExitCode);
        if (expected["error"] is { } error)
        {
            Assert.Equal((string)error!, stderr.Trim());
            Assert.Equal(string.Empty, stdout);
            return;
        }

        Assert.Equal(string.Empty, stderr);
        var report = JsonNode.Parse(stdout)!;
        Assert.Equal((string)expected["grade"]!, (string)report["grade"]!);
        Assert.Equal((long)expected["rows"]!, (long)report["rows"]!);
        Assert.Equal(expected["columns"]!.AsArray().Select(c => (string)c!), report["columns"]!.AsArray().Select(c => (string)c!["name"]!));
        var findings = report["findings"]!.AsArray().Select(f => new JsonObject
        {
            ["id"] = (string)f!["id"]!,
            ["severity"] = (string)f["severity"]!,
            ["count"] = (long)f["count"]!,
            ["message"] = (string)f["message"]!,
            ["sampleRows"] = f["sampleRows"]!.AsArray().Count > 0 ? f["sampleRows"]!.DeepClone() : null,
        }.ToJsonString()).ToList();
        var wanted = expected["findings"]!.AsArray().Select(f => new JsonObject
        {
            ["id"] = (string)f!["id"]!,
            ["severity"] = (string)f["severity"]!,
            ["count"] = (long)f["count"]!,
            ["message"] = (string)f["message"]!,
            ["sampleRows"] = f["sampleRows"]?.DeepClone(),
        }.ToJsonString()).ToList();
        Assert.Equal(wanted, findings);
    }

    [Theory]
    [InlineData("utf16.csv", "id,name\n1,café\n2,naïve\n")]
    [InlineData("excel-sep-line.csv", "a,b\n1,2\n3,4\n")]
    [InlineData("bom-crlf.csv", "id,name\n1,a\n2,b\n")]
    public void CleanReadsTheExportsTheScoreReadsWithNothingLost(string file, string written)
    {
        var output = Path.Combine(TestPaths.NewTempDir(), "out.csv");
        var run = CliRunner.Run("clean", Path.Combine(Folder, file), "--output", output, "--deduplicate", "--quiet");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(written, File.ReadAllText(output));
    }
}
