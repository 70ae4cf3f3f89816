using System.Text.Json;
using Alimentar.Data;
using Alimentar.Quality;
using Alimentar.Tests.Support;
using Alimentar.Transforms.Clean;

namespace Alimentar.Tests.Data;

/// <summary>
/// Every readable parquet-testing file through the lossless path (read as Arrow, written back with no step) scores
/// to the same rows, per-column null, missing and distinct counts, and duplicate rows.
/// </summary>
public sealed class LosslessRoundTripTests
{
    // Its map's key field is optional, which the Parquet spec forbids; the scanner hashes the map anyway, but Arrow's
    // reader (and so pyarrow and the lossless path) refuses the file with one line.
    // large_string_map holds a map whose strings pass 2 GB in one row group: Arrow C++ cannot return that as one
    // batch column ("Nested data conversions not implemented for chunked array outputs", as pyarrow says too).
    private static readonly Dictionary<string, string> ArrowReaderRefuses = new()
    {
        ["parquet-testing/data/incorrect_map_schema.parquet"] = "Map keys must be annotated as required",
        ["parquet-testing/data/large_string_map.brotli.parquet"] = "Nested data conversions not implemented",
    };

    private readonly string _dir = TestPaths.NewTempDir();

    public static TheoryData<string> ReadableFiles()
    {
        var data = new TheoryData<string>();
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.ParquetTesting, "parquet-testing-reference.json")));
        foreach (var file in doc.RootElement.GetProperty("files").EnumerateArray())
        {
            var malformed = file.TryGetProperty("intentionally_malformed", out var m) && m.GetBoolean();
            var encrypted = file.TryGetProperty("encrypted", out var e) && e.GetBoolean();
            if (!malformed && !encrypted)
            {
                data.Add(file.GetProperty("path").GetString()!);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ReadableFiles))]
    public void WrittenBackWithNoStepScoresTheSame(string relativePath)
    {
        var input = Path.Combine(TestPaths.ParquetTesting, relativePath);
        QualityReport before;
        try
        {
            before = QualityChecker.Score(input);
        }
        catch (DataReadException)
        {
            return; // refused by the scanner with one line (ParquetConformanceTests checks which); nothing to round-trip
        }

        var output = Path.Combine(_dir, "out.parquet");
        if (ArrowReaderRefuses.TryGetValue(relativePath, out var reason))
        {
            var error = Assert.Throws<DataReadException>(() => DatasetCleaner.Clean(input, new CleanOptions { Output = output }));
            Assert.Contains(reason, error.Message);
            Assert.False(File.Exists(output));
            return;
        }

        var result = DatasetCleaner.Clean(input, new CleanOptions { Output = output });
        var after = QualityChecker.Score(output);

        Assert.Equal(before.Rows, result.RowsIn);
        Assert.Equal(before.Rows, after.Rows);
        Assert.Equal(before.Columns.Select(c => c.Name), after.Columns.Select(c => c.Name));
        Assert.Equal(before.Columns.Select(c => (c.Name, c.Nulls, c.Missing)), after.Columns.Select(c => (c.Name, c.Nulls, c.Missing)));
        Assert.Equal(before.Columns.Select(c => (c.Name, c.Distinct)), after.Columns.Select(c => (c.Name, c.Distinct)));
        Assert.Equal(before.Duplicates.Exact, after.Duplicates.Exact);
    }
}
