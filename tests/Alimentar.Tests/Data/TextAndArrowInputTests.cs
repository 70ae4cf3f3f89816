using Alimentar.Data;
using Alimentar.Quality;
using Alimentar.Tests.Support;
using Apache.Arrow;
using Apache.Arrow.Ipc;

namespace Alimentar.Tests.Data;

/// <summary>The non-Parquet readers: TSV, JSON arrays, JSON Lines, Arrow IPC, and format detection.</summary>
public sealed class TextAndArrowInputTests
{
    private readonly string _dir = TestPaths.NewTempDir();

    [Fact]
    public void TsvWithQuotesAndCrlfIsRead()
    {
        var path = Path.Combine(_dir, "t.tsv");
        File.WriteAllText(path, "id\ttext\r\n1\t\"a \"\"quoted\"\" value\"\r\n2\t\"multi\nline\"\r\n3\t\r\n");
        var report = QualityChecker.Score(path);
        Assert.Equal(3, report.Rows);
        Assert.Equal(1, report.Columns.Single(c => c.Name == "text").Missing);
        Assert.Equal("integer (inferred)", report.Columns.Single(c => c.Name == "id").Type);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void CsvRoundTripsQuotesSeparatorsNewlinesAndBufferBoundaries(int seed)
    {
        var random = new Random(seed);
        string[] pieces = ["a", "b", ",", "\"", "\n", "\r\n", " ", "é", "\t", "x"];
        var rows = new List<string[]>();
        for (var r = 0; r < 300; r++)
        {
            rows.Add(Enumerable.Range(0, 3).Select(_ =>
            {
                var n = random.Next(0, 8);
                var text = string.Concat(Enumerable.Range(0, n).Select(_ => pieces[random.Next(pieces.Length)]));
                return random.Next(40) == 0 ? new string('z', 70_000) + text : text; // crosses the 64 KiB buffer
            }).ToArray());
        }

        static string Quote(string field) => field.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + field.Replace("\"", "\"\"") + "\"" : field;
        var path = Path.Combine(_dir, $"round-{seed}.csv");
        File.WriteAllText(path, "c0,c1,c2\r\n" + string.Concat(rows.Select(r => string.Join(',', r.Select(Quote)) + (random.Next(2) == 0 ? "\n" : "\r\n"))));
        using var source = new Alimentar.Data.Text.CsvDataSource(path, DataFormat.Csv);
        var parsed = new List<string?[]>();
        foreach (var part in source.Parts())
        {
            var columns = Enumerable.Range(0, 3).Select(c => (BytesColumnBatch)part.ReadColumn(c)).ToArray();
            for (var r = 0; r < columns[0].Length; r++)
            {
                parsed.Add(columns.Select(c => c.IsNull(r) ? null : System.Text.Encoding.UTF8.GetString(c.Value(r))).ToArray());
            }
        }

        Assert.Equal(rows.Count, parsed.Count);
        for (var r = 0; r < rows.Count; r++)
        {
            Assert.Equal(rows[r].Select(f => f.Length == 0 ? null : f), parsed[r]);
        }
    }

    [Fact]
    public void JsonArrayOfRecordsIsRead()
    {
        var path = Path.Combine(_dir, "a.json");
        File.WriteAllText(path, "[{\"x\": 1, \"y\": \"a\"}, {\"x\": 2, \"y\": null}, {\"x\": 2.5}]");
        var report = QualityChecker.Score(path);
        Assert.Equal(3, report.Rows);
        Assert.Equal(2, report.Columns.Single(c => c.Name == "y").Missing);
    }

    [Fact]
    public void ArrowIpcFilesAreReadIncludingNestedColumns()
    {
        var path = Path.Combine(_dir, "d.arrow");
        var ids = new Int64Array.Builder().AppendRange([1, 2, 2, 4]).Build();
        var names = new StringArray.Builder().Append("a").AppendNull().Append("b").Append("b").Build();
        var listBuilder = new ListArray.Builder(Apache.Arrow.Types.Int32Type.Default);
        var values = (Int32Array.Builder)listBuilder.ValueBuilder;
        for (var i = 0; i < 4; i++)
        {
            listBuilder.Append();
            values.Append(i % 2);
        }

        var lists = listBuilder.Build();
        var batch = new RecordBatch.Builder().Append("id", false, ids).Append("name", true, names).Append("tags", true, lists).Build();
        using (var stream = File.Create(path))
        using (var writer = new ArrowFileWriter(stream, batch.Schema))
        {
            writer.WriteRecordBatch(batch);
            writer.WriteEnd();
        }

        var report = QualityChecker.Score(path);
        Assert.Equal(4, report.Rows);
        Assert.Equal(1, report.Columns.Single(c => c.Name == "name").Nulls);
        Assert.Equal("nested", report.Columns.Single(c => c.Name == "tags").Kind);
        Assert.Equal(2, report.Columns.Single(c => c.Name == "tags").Distinct);
    }

    [Fact]
    public void MismatchedExtensionAndContentIsRefused()
    {
        var path = Path.Combine(_dir, "data.csv");
        File.Copy(Path.Combine(TestPaths.Samples, "reviews.parquet"), path);
        var error = Assert.Throws<DataReadException>(() => QualityChecker.Score(path));
        Assert.Contains("holds Parquet data", error.Message);
        var bad = Path.Combine(_dir, "x.jsonl");
        File.WriteAllText(bad, "{\"a\": 1}\n{not json\n");
        Assert.Contains("line 2", Assert.Throws<DataReadException>(() => QualityChecker.Score(bad)).Message);
    }

    [Fact]
    public void ShardsWithDifferentColumnsAreOneDatasetWithNullsWhereAColumnIsAbsent()
    {
        TestData.Csv(_dir, "p0.csv", "a,b", "1,x");
        TestData.Csv(_dir, "p1.csv", "a", "2");
        var report = QualityChecker.Score(Path.Combine(_dir, "p*.csv"));
        Assert.Equal(2, report.Rows);
        Assert.Equal(1, report.Columns.Single(c => c.Name == "b").Missing);
    }
}
