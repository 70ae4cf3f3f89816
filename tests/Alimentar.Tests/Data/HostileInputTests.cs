using Alimentar.Tests.Support;

namespace Alimentar.Tests.Data;

/// <summary>Inputs built to break parsers: one line and exit 2, never a crash.</summary>
public sealed class HostileInputTests
{
    private readonly string _dir = TestPaths.NewTempDir();

    [Fact]
    public void APageHeaderOfNestedThriftStructsIsAnErrorNotAStackOverflow()
    {
        var good = TestData.Parquet(Path.Combine(_dir, "good.parquet"), [1, 2, 3], ["a", "b", "c"], [0.5, 1.5, 2.5], rowGroupSize: 3);
        // The first column chunk starts right after the 4-byte magic.
        const int chunkStart = 4;
        Assert.Equal("PAR1"u8.ToArray(), File.ReadAllBytes(good)[..4]);

        // 250,000 bytes of 0x1C (the report had 66,000; the reader takes up to 256 KB) where the first page header starts: each byte opens another nested struct. The
        // footer keeps its offsets (they point before the splice) and stays at the end of the file.
        var bytes = File.ReadAllBytes(good).ToList();
        bytes.InsertRange(chunkStart, Enumerable.Repeat((byte)0x1C, 250_000));
        var hostile = Path.Combine(_dir, "nested-header.parquet");
        File.WriteAllBytes(hostile, bytes.ToArray());

        var result = CliRunner.Run("quality", "score", hostile);
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Stderr.Trim().Split('\n'));
        Assert.StartsWith("error:", line);
        Assert.Contains("nested-header.parquet", line);
    }

    [Fact]
    public void AFifoIsRefusedWithOneLineInsteadOfBlockingForever()
    {
        var fifo = Path.Combine(_dir, "stream.csv");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [fifo]))
        {
            mkfifo.WaitForExit();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var folder = Path.Combine(_dir, "shards");
        Directory.CreateDirectory(folder);
        TestData.Csv(folder, "a.csv", "x,y", "1,2");
        File.Move(fifo, Path.Combine(folder, "b.csv"));
        foreach (var input in new[] { Path.Combine(folder, "b.csv"), folder })
        {
            var result = CliRunner.Run("quality", "score", input);
            Assert.Equal(2, result.ExitCode);
            var line = Assert.Single(result.Stderr.Trim().Split('\n'));
            Assert.Contains("b.csv", line);
            Assert.Contains("is not a regular file", line);
        }
    }

    [Fact]
    public void ALoneSurrogateInJsonIsOneLineNamingTheFile()
    {
        var path = Path.Combine(_dir, "lone.jsonl");
        File.WriteAllText(path, "{\"a\": 1}\n{\"a\": \"\\ud800\"}\n");
        var result = CliRunner.Run("quality", "score", path);
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Stderr.Trim().Split('\n'));
        Assert.StartsWith($"error: {path}: record 2:", line);
    }

    [Fact]
    public void ANewlineInAFileNameIsEscapedNotObeyed()
    {
        var path = Path.Combine(_dir, "two\nlines.parquet");
        File.WriteAllText(path, "not parquet at all");
        var result = CliRunner.Run("quality", "score", path);
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Stderr.Trim().Split('\n'));
        Assert.Contains("two\\nlines.parquet", line);
    }

    [Theory]
    [InlineData("inf.csv", "a,b\n1,1e400\n2,3.5\n3,-1e999\n4,2\n", 2)]
    [InlineData("inf.jsonl", "{\"a\":1,\"b\":1e400}\n{\"a\":2,\"b\":3.5}\n{\"a\":3,\"b\":2}\n", 1)]
    public void NumbersBeyondTheDoubleRangeAreAFindingNotAPerfectScore(string name, string content, long count)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        var report = Alimentar.Quality.QualityChecker.Score(path);
        var finding = Assert.Single(report.Findings, f => f.Id == "non-finite");
        Assert.Equal(count, finding.Count);
        Assert.True(report.Score < 100);
        Assert.True(report.Columns.Single(c => c.Name == "b").Max is null or < 1e300);
    }

    [Fact]
    public void BrokenCsvExportsAreNotScoredAsIfWhole()
    {
        // Records with the wrong number of fields: a critical finding (grade D, exit 1), naming the first one.
        var ragged = Path.Combine(_dir, "ragged.csv");
        File.WriteAllText(ragged, "a,b,c\n1,2,3\n4,5\n6,7,8,9\n");
        var report = Alimentar.Quality.QualityChecker.Score(ragged);
        var finding = Assert.Single(report.Findings, f => f.Id == "ragged-rows");
        Assert.Equal(2, finding.Count);
        Assert.Contains("(records 3 (2 fields), 4 (4 fields))", finding.Message);
        Assert.Equal([1L, 2L], finding.SampleRows);
        Assert.EndsWith("missing fields read as empty, extra fields are kept in column '_extra_fields'", finding.Message, StringComparison.Ordinal);
        Assert.Equal("D", report.Grade);
        Assert.Equal(1, CliRunner.Run("quality", "score", ragged).ExitCode);
        Assert.DoesNotContain(report.Findings, f => f.Id == "missing-values" && f.Columns.Contains("_extra_fields"));

        // No field is lost: clean writes the extra fields as CSV text in their own column (a header name that is
        // taken already gets a suffix).
        File.WriteAllText(ragged, "a,b,_extra_fields\n1,2,3\n4,5\n6,7,8,9,\"x,\"\"y\"\"\"\n");
        var cleaned = Path.Combine(_dir, "ragged-clean.csv");
        Assert.Equal(0, CliRunner.Run("clean", ragged, "--output", cleaned, "--deduplicate", "--quiet").ExitCode);
        Assert.Equal("a,b,_extra_fields,_extra_fields.1\n1,2,3,\n4,5,,\n6,7,8,\"9,\"\"x,\"\"\"\"y\"\"\"\"\"\"\"\n", File.ReadAllText(cleaned));

        // An unterminated quote is an error naming the record, not one giant cell.
        var quote = Path.Combine(_dir, "quote.csv");
        File.WriteAllText(quote, "a,b\n1,\"never closed\n2,3\n4,5\n");
        var error = CliRunner.Run("quality", "score", quote);
        Assert.Equal(2, error.ExitCode);
        Assert.Equal($"error: {quote}: record 2 opens a quoted field that is never closed (an unterminated quote)", error.Stderr.Trim());

        // A semicolon export is read with its separator.
        var semi = Path.Combine(_dir, "semi.csv");
        File.WriteAllText(semi, "a;b;c\n1;2;3\n4;\"x;y\";6\n");
        Assert.Equal(["a", "b", "c"], Alimentar.Quality.QualityChecker.Score(semi).Columns.Select(c => c.Name));

        // An empty JSON Lines file is an error, as an empty CSV is.
        var empty = Path.Combine(_dir, "empty.jsonl");
        File.WriteAllText(empty, string.Empty);
        Assert.Equal(2, CliRunner.Run("quality", "score", empty).ExitCode);
    }

    [Fact]
    public void RepeatedHeaderNamesKeepEveryColumnAndAreReported()
    {
        // Three columns named 'id' and one 'id.1' already in use: none is merged into another.
        var path = Path.Combine(_dir, "repeated.csv");
        File.WriteAllText(path, "id,name,id,id.1,id\n1,a,2,x,3\n4,b,5,y,6\n");
        var report = Alimentar.Quality.QualityChecker.Score(path);
        Assert.Equal(["id", "name", "id.2", "id.1", "id.3"], report.Columns.Select(c => c.Name));
        var finding = Assert.Single(report.Findings, f => f.Id == "duplicate-header");
        Assert.Equal($"{path}: the header has the name 'id' 3 times; every column is kept, the repeats are read as column 3 as 'id.2', column 5 as 'id.3'", finding.Message);
        Assert.Equal(2, finding.Count);
        Assert.Equal(Alimentar.Quality.Severity.Warn, finding.Severity);
        Assert.True(report.Dimensions.Schema.Score < 100);

        // The cleaned copy keeps all five columns under those names.
        var output = Path.Combine(_dir, "repeated.parquet");
        Assert.Equal(0, CliRunner.Run("clean", path, "--output", output, "--deduplicate", "--quiet").ExitCode);
        Assert.Equal(["id", "name", "id.2", "id.1", "id.3"], Alimentar.Quality.QualityChecker.Score(output).Columns.Select(c => c.Name));
    }

    [Fact]
    public void MostlyDuplicatedDataIsACriticalFailureAndTheGradeSaysWhy()
    {
        // 12 of 13 rows repeat the first (92 %): critical in every profile, and the forced D explains itself.
        var path = Path.Combine(_dir, "copies.csv");
        File.WriteAllLines(path, ["id,text", .. Enumerable.Repeat("1,same", 12), "2,other"]);
        var report = Alimentar.Quality.QualityChecker.Score(path);
        var finding = Assert.Single(report.Findings, f => f.Id == "exact-duplicates");
        Assert.Equal(Alimentar.Quality.Severity.Critical, finding.Severity);
        Assert.Equal("D", report.Grade);
        var cli = CliRunner.Run("quality", "score", path, "--min-grade", "D");
        Assert.Equal(1, cli.ExitCode);
        Assert.Matches(@"^Quality Score: \d+\.\d% \(Grade D: forced by 1 critical failure, the score alone gives [ABC]\)$", cli.Stdout.Split('\n')[0]);
    }

    [Fact]
    public void SuggestedCommandsQuoteColumnNamesForTheShell()
    {
        var path = Path.Combine(_dir, "spaces.csv");
        File.WriteAllLines(path, ["US DVD Sales,it's", "1,a", ",b", "3,"]);
        var report = Alimentar.Quality.QualityChecker.Score(path);
        Assert.Contains(report.Findings, f => f.Suggestion == "alimentar clean --remove-nulls --columns 'US DVD Sales'");
        Assert.Contains(report.Findings, f => f.Suggestion == "alimentar clean --remove-nulls --columns 'it'\\''s'");
    }

    [Fact]
    public void AJsonLinesRecordPastTheLimitIsRefusedAndLinesAreReadAsBytes()
    {
        var path = Path.Combine(_dir, "long.jsonl");
        File.WriteAllText(path, "{\"a\": 1}\n{\"text\": \"" + new string('x', 2_000) + "\"}\n");
        var refused = CliRunner.Run(new Dictionary<string, string> { ["ALIMENTAR_MAX_RECORD_BYTES"] = "1000" }, "quality", "score", path);
        Assert.Equal(2, refused.ExitCode);
        Assert.Equal($"error: {path}: line 2 is longer than 1,000 bytes (a record that large is not JSON Lines data; ALIMENTAR_MAX_RECORD_BYTES raises the limit)", refused.Stderr.Trim());

        // A BOM, CRLF line ends, blank lines and a last line without a break are all read as before.
        var crlf = Path.Combine(_dir, "crlf.jsonl");
        File.WriteAllBytes(crlf, [0xEF, 0xBB, 0xBF, .. "{\"a\": [1, 2]}\r\n\r\n{\"a\": {\"b\": 3}}"u8]);
        var report = Alimentar.Quality.QualityChecker.Score(crlf);
        Assert.Equal(2, report.Rows);
        Assert.Equal(("a", 0L), (report.Columns.Single().Name, report.Columns.Single().Missing));
    }
}
