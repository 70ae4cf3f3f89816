using System.Buffers.Binary;
using Alimentar.Data.Parquet;
using Alimentar.Quality;
using Alimentar.Tests.Support;

namespace Alimentar.Tests.Quality;

/// <summary>Rows a Parquet footer declares but its pages do not deliver were lost, and the report says so loudly.</summary>
public sealed class LostRowsTests
{
    [Fact]
    public void RowsTheFooterDeclaresButThePagesDoNotHoldAreACriticalFinding()
    {
        var dir = TestPaths.NewTempDir();
        var csv = Path.Combine(dir, "rows.csv");
        File.WriteAllLines(csv, ["id,name", .. Enumerable.Range(0, 100).Select(i => $"{i},name {i}")]);
        var parquet = Path.Combine(dir, "rows.parquet");
        var clean = CliRunner.Run("clean", csv, "--output", parquet, "--deduplicate", "--quiet");
        Assert.True(clean.ExitCode == 0, clean.Stderr);
        ClaimRows(parquet, 400);

        var report = QualityChecker.Score([parquet]);
        Assert.Equal(100, report.Rows);
        var lost = Assert.Single(report.Findings, f => f.Id == "rows-lost");
        Assert.Equal(Severity.Critical, lost.Severity);
        Assert.Equal(300, lost.Count);
        Assert.Contains("300 of the 400 rows", lost.Message, StringComparison.Ordinal);
        Assert.Equal("D", report.Grade);

        var cli = CliRunner.Run("quality", "score", parquet, "--min-grade", "C");
        Assert.Equal(1, cli.ExitCode);
        Assert.Contains("could not be decoded", cli.Stdout, StringComparison.Ordinal);
    }

    // Rewrites the footer's row counts (file and row group) to claim more rows than the pages hold.
    private static void ClaimRows(string path, long rows)
    {
        var bytes = File.ReadAllBytes(path);
        var footerLength = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(bytes.Length - 8));
        var footerStart = bytes.Length - 8 - footerLength;
        var position = 0;
        var footer = ThriftCompact.ReadStruct(bytes.AsSpan(footerStart, footerLength), ref position);
        footer.SetLong(3, rows);
        foreach (var group in ((ThriftCompact.Items)footer.Get(4)!).Values.Cast<ThriftCompact.StructValue>())
        {
            group.SetLong(3, rows);
        }

        var written = ThriftCompact.Write(footer);
        using var output = new MemoryStream();
        output.Write(bytes, 0, footerStart);
        output.Write(written);
        output.Write(BitConverter.GetBytes(written.Length));
        output.Write("PAR1"u8);
        File.WriteAllBytes(path, output.ToArray());
    }
}
