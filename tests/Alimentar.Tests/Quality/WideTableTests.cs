using System.Text;
using Alimentar.Data.Parquet;
using Alimentar.Data.Text;
using Alimentar.Quality;
using Alimentar.Quality.Accumulators;
using Alimentar.Tests.Support;

namespace Alimentar.Tests.Quality;

/// <summary>
/// Wide tables (one-hot features, genomics) are scored with costs that follow the cells: per-part memory is bounded
/// by cells, quantile samples share a dataset budget, and Parquet footers are parsed once per reader, not per column.
/// Timings are the bench's (`bench -- wide`); these tests check that the results stay right.
/// </summary>
public sealed class WideTableTests
{
    [Fact]
    public void TwentyThousandColumnsAreScoredWithEveryFindingOfANarrowTable()
    {
        const int columns = 20_000;
        var names = Enumerable.Range(0, columns).Select(c => $"f{c}").ToArray();
        names[7] = "Label";
        names[19_999] = "label"; // the same name but for case, far apart
        names[500] = " padded";
        var path = Path.Combine(TestPaths.NewTempDir(), "wide.csv");
        var text = new StringBuilder(string.Join(',', names)).Append('\n');
        for (var r = 0; r < 6; r++)
        {
            text.Append(string.Join(',', Enumerable.Range(0, columns).Select(c => c == 3 && r == 2 ? string.Empty : ((r + c) % 5).ToString(System.Globalization.CultureInfo.InvariantCulture)))).Append('\n');
        }

        File.WriteAllText(path, text.ToString());
        var report = QualityChecker.Score([path]);

        Assert.Equal(6, report.Rows);
        var nameFindings = report.Findings.Where(f => f.Id == "column-name").Select(f => f.Message).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["Column ' padded': leading or trailing whitespace", "Column 'Label': duplicate name (case-insensitive)", "Column 'label': duplicate name (case-insensitive)"], nameFindings);
        var missing = Assert.Single(report.Findings, f => f.Id.StartsWith("missing", StringComparison.Ordinal) && f.Columns.Contains("f3"));
        Assert.Equal(1, missing.Count);
    }

    [Fact]
    public void ColumnsScannedInPlaceGiveWhatPerPartScansMergedGive()
    {
        // 600 columns x 15,000 rows: two parts (PartRows(600) is about 14,000), so samples, counts and distinct values
        // cross a part boundary. Numeric columns are 60 % empty so that their values fit the quantile sample (4M values
        // over 600 columns): outlier counts are then exact in both, not two estimates from different samples.
        const int columns = 600, rows = 15_000;
        var path = Path.Combine(TestPaths.NewTempDir(), "mixed.csv");
        var random = new Random(11);
        var categories = new[] { "red", "Red ", " blue", "NA", "green" };
        using (var writer = new StreamWriter(path))
        {
            writer.WriteLine(string.Join(',', Enumerable.Range(0, columns).Select(c => $"c{c}")));
            var lines = new List<string>();
            for (var r = 0; r < rows; r++)
            {
                var line = r > 100 && r % 97 == 0 ? lines[r / 3] : string.Join(',', Enumerable.Range(0, columns).Select(c => (c % 4) switch
                {
                    0 => random.Next(10) < 6 ? string.Empty : random.Next(1000) == 0 ? "1000000" : random.Next(10).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    1 => categories[random.Next(categories.Length)],
                    2 => $"item {random.Next(997)}",
                    _ => random.Next(200) == 0 ? "not a date" : $"2024-01-{1 + random.Next(28):00}",
                }));
                lines.Add(line);
                writer.WriteLine(line);
            }
        }

        var inPlace = QualityChecker.Score([path], new QualityOptions { ScanInPlace = true, MaxDegreeOfParallelism = 2 });
        var perPart = QualityChecker.Score([path], new QualityOptions { ScanInPlace = false, MaxDegreeOfParallelism = 2 });

        Assert.Equal(rows, inPlace.Rows);
        Assert.Contains(inPlace.Findings, f => f.Id == "exact-duplicates");
        Assert.Contains(inPlace.Findings, f => f.Id == "missing-values");
        Assert.Contains(inPlace.Findings, f => f.Id == "category-spellings");
        Assert.Equal(Describe(perPart), Describe(inPlace));

        static string Describe(QualityReport report) => System.Text.Json.JsonSerializer.Serialize(new
        {
            report.Score,
            report.Grade,
            Findings = report.Findings.Select(f => new { f.Id, f.Severity, f.Message, f.Columns, f.Count, f.Rate, f.SampleRows, f.Suggestion }).OrderBy(f => f.Message, StringComparer.Ordinal),
            report.Columns,
        });
    }

    [Fact]
    public void TextPartsHoldABoundedNumberOfCellsWhateverTheWidth()
    {
        Assert.Equal(CsvDataSource.RowsPerPart, CsvDataSource.PartRows(20));
        Assert.Equal(CsvDataSource.CellsPerPart / 100_000, CsvDataSource.PartRows(100_000));
        Assert.Equal(1, CsvDataSource.PartRows(int.MaxValue));
        Assert.All(new[] { 1, 100, 5_000, 100_000, 10_000_000 }, c => Assert.True((long)CsvDataSource.PartRows(c) * c <= Math.Max(CsvDataSource.CellsPerPart, c)));
    }

    [Fact]
    public void ATableWiderThanItsRowGroupIsReadInSeveralPartsWithNoRowLost()
    {
        // 2,000 columns x 5,000 rows: more cells than one part holds, so rows straddle parts.
        const int columns = 2_000, rows = 5_000;
        var path = Path.Combine(TestPaths.NewTempDir(), "tall.csv");
        using (var writer = new StreamWriter(path))
        {
            writer.WriteLine(string.Join(',', Enumerable.Range(0, columns).Select(c => $"c{c}")));
            for (var r = 0; r < rows; r++)
            {
                writer.WriteLine(string.Join(',', Enumerable.Range(0, columns).Select(c => c == 0 ? r : (r * 31 + c) % 97)));
            }
        }

        using var source = new CsvDataSource(path, Alimentar.Data.DataFormat.Csv);
        var parts = source.Parts().Select(p => p.RowCountHint).ToList();
        Assert.True(parts.Count > 1, $"{parts.Count} part(s)");
        Assert.Equal(rows, parts.Sum());
        var report = QualityChecker.Score([path]);
        Assert.Equal(rows, report.Rows);
        Assert.DoesNotContain(report.Findings, f => f.Id == "exact-duplicates");
    }

    [Fact]
    public void QuantileSamplesShareADatasetBudgetAndPartsTakeTheirDatasetsSize()
    {
        Assert.Equal(QuantileSketch.Capacity, QuantileSketch.CapacityFor(10));
        Assert.Equal(QuantileSketch.Capacity, QuantileSketch.CapacityFor(128));
        Assert.Equal(4096, QuantileSketch.CapacityFor(1024));
        Assert.Equal(64, QuantileSketch.CapacityFor(65_536));
        Assert.Equal(41, QuantileSketch.CapacityFor(100_000));
        Assert.Equal(32, QuantileSketch.CapacityFor(1_000_000));

        var dataset = new QuantileSketch();
        dataset.Limit(100);
        var part = new QuantileSketch();
        part.StartStream(1, dataset, 1000);
        Assert.Equal(100, part.SampleCapacity);
        for (var i = 0; i < 1000; i++)
        {
            part.Add(i);
        }

        dataset.Merge(part);
        Assert.False(dataset.IsExact);
        var (q1, q3) = dataset.Quartiles();
        Assert.InRange(q1, 150, 350); // a 100-value uniform sample of 0..999
        Assert.InRange(q3, 650, 850);
        Assert.Throws<InvalidOperationException>(() => part.Limit(10));
    }

    [Fact]
    public void AWideParquetFileParsesItsFooterOncePerReaderNotOncePerColumn()
    {
        var csv = Path.Combine(TestPaths.NewTempDir(), "wide.csv");
        File.WriteAllText(csv, string.Join(',', Enumerable.Range(0, 3000).Select(c => $"c{c}")) + "\n" + string.Join(',', Enumerable.Range(0, 3000)) + "\n");
        var parquet = Path.Combine(TestPaths.NewTempDir(), "wide.parquet");
        var clean = CliRunner.Run("clean", csv, "--output", parquet, "--deduplicate", "--quiet");
        Assert.True(clean.ExitCode == 0, clean.Stderr);

        using var source = new ParquetDataSource(parquet);
        var cells = 0;
        foreach (var part in source.Parts())
        {
            Parallel.For(0, source.Columns.Count, new ParallelOptions { MaxDegreeOfParallelism = 4 }, c =>
            {
                foreach (var chunk in part.ReadColumnChunks(c))
                {
                    Interlocked.Add(ref cells, chunk.Length);
                }
            });
        }

        Assert.Equal(3000, cells);
        Assert.InRange(source.ReadersOpened, 1, 4);
    }
}
