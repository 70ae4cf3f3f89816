using Alimentar.Quality;
using Alimentar.Tests.Support;

namespace Alimentar.Tests.Quality;

/// <summary>
/// Dictionary-encoded Parquet text is scanned with a per-batch cache keyed by the decoder's value addresses; CSV
/// text is not. The same values must give the same statistics either way.
/// </summary>
public sealed class RepeatedTextTests
{
    [Fact]
    public void DictionaryEncodedParquetAndCsvAgreeOnSpellingsDistinctAndMissing()
    {
        var dir = TestPaths.NewTempDir();
        var random = new Random(3);
        string?[] vocabulary = ["pos", "neg", "Pos", " neg", "neu", "null", "N/A", null, "pos  ", "2024-01-05", "17", "{\"a\":1}"];
        const int n = 150_000; // several 64k-row decoder batches, so the cache is reset and refilled
        var labels = Enumerable.Range(0, n).Select(_ => vocabulary[random.Next(vocabulary.Length)]).ToArray();
        var ids = Enumerable.Range(0, n).Select(i => (long?)i).ToArray();
        var values = Enumerable.Range(0, n).Select(i => (double?)(i % 100)).ToArray();
        var parquet = TestData.Parquet(Path.Combine(dir, "labels.parquet"), ids, labels, values, 100_000);
        var csv = TestData.Csv(dir, "labels.csv", ["id,label,value", .. Enumerable.Range(0, n).Select(i => $"{ids[i]},{Quote(labels[i])},{values[i]}")]);

        var fromParquet = QualityChecker.Score(parquet);
        var fromCsv = QualityChecker.Score(csv);
        var p = fromParquet.Columns.Single(c => c.Name == "label");
        var c = fromCsv.Columns.Single(c => c.Name == "label");
        Assert.Equal(c.Missing, p.Missing);
        Assert.Equal(c.Distinct, p.Distinct);
        Assert.Equal(c.MeanLength, p.MeanLength);
        Assert.Equal(c.DominantClass, p.DominantClass);
        Assert.Equal(Finding(fromCsv, "category-spellings"), Finding(fromParquet, "category-spellings"));
        Assert.Equal(Finding(fromCsv, "whitespace"), Finding(fromParquet, "whitespace"));
        Assert.Equal(fromCsv.Duplicates.Exact, fromParquet.Duplicates.Exact);
        Assert.True(Finding(fromParquet, "category-spellings")!.Value.Count > 0);
    }

    private static (long Count, string Message)? Finding(QualityReport report, string id) =>
        report.Findings.Where(f => f.Id == id && f.Columns.Contains("label")).Select(f => (f.Count, f.Message)).Cast<(long, string)?>().FirstOrDefault();

    // A missing label is an empty CSV field, which the CSV reader reads as null like the Parquet null.
    private static string Quote(string? value) => value is null ? string.Empty : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
