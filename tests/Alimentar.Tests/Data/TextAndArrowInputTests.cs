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
