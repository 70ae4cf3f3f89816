using System.Diagnostics;
using System.Text.Json;
using Alimentar.Data;
using Alimentar.Quality;
using Alimentar.Tests.Support;

namespace Alimentar.Tests.Data;

/// <summary>Apache's parquet-testing files against the DuckDB reference counts, file by file.</summary>
public sealed class ParquetConformanceTests
{
    // Read without complaint by DuckDB and DataFusion too (a 0 bit-width RLE dictionary page decodes as all zeros);
    // nothing in its metadata or levels is invalid, so alimentar scores it like they do.
    // ARROW-GH-43605: its dictionary page holds exactly one value, so dictionary indices of bit width 0 still decode
    // unambiguously (all rows are that value); DuckDB and DataFusion read it the same way.
    private static readonly HashSet<string> ReadableDespiteBadDataFolder = ["parquet-testing/bad_data/ARROW-GH-43605.parquet"];

    public static TheoryData<string> ReferenceFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Reference().EnumerateArray())
        {
            data.Add(file.GetProperty("path").GetString()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ReferenceFiles))]
    public void MatchesReferenceOrFailsCleanly(string relativePath)
    {
        var entry = Reference().EnumerateArray().Single(f => f.GetProperty("path").GetString() == relativePath);
        var path = Path.Combine(TestPaths.ParquetTesting, relativePath);
        var malformed = entry.TryGetProperty("intentionally_malformed", out var m) && m.GetBoolean();
        var encrypted = entry.TryGetProperty("encrypted", out var e) && e.GetBoolean();
        if ((malformed || encrypted) && !ReadableDespiteBadDataFolder.Contains(relativePath))
        {
            var watch = Stopwatch.StartNew();
            var error = Assert.Throws<DataReadException>(() => Scan(path));
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
            Assert.Contains(Path.GetFileName(path), error.Message);
            Assert.DoesNotContain('\n', error.Message);
            return;
        }

        var stats = Scan(path);
        if (!entry.TryGetProperty("rows", out var rows))
        {
            return; // DuckDB could not read it; scoring without a crash is the requirement.
        }

        Assert.Equal(rows.GetInt64(), stats.Rows);
        foreach (var column in entry.GetProperty("columns").EnumerateArray())
        {
            var name = column.GetProperty("name").GetString()!;
            var plan = stats.Columns.Single(c => c.Name == name);
            Assert.True(column.GetProperty("null_count").GetInt64() == stats.ColumnStats[plan.Index].Nulls, $"null count of '{name}'");
        }

        if (entry.TryGetProperty("excess_duplicate_rows", out var duplicates))
        {
            Assert.Equal(duplicates.GetInt64(), stats.ExactDuplicates);
        }
    }

    [Fact]
    public void EveryReferenceFileIsListed()
    {
        var listed = Reference().EnumerateArray().Select(f => f.GetProperty("path").GetString()).ToHashSet();
        var onDisk = Directory.EnumerateFiles(Path.Combine(TestPaths.ParquetTesting, "parquet-testing"), "*.parquet*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".json", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(TestPaths.ParquetTesting, f).Replace('\\', '/'));
        Assert.All(onDisk, f => Assert.Contains(f, listed));
    }

    private static DatasetStats Scan(string path)
    {
        using var dataset = Dataset.Open([path]);
        return new DatasetScanner(new QualityOptions()).Scan(dataset);
    }

    private static JsonElement Reference()
    {
        var json = File.ReadAllText(Path.Combine(TestPaths.ParquetTesting, "parquet-testing-reference.json"));
        return JsonDocument.Parse(json).RootElement.GetProperty("files");
    }
}
