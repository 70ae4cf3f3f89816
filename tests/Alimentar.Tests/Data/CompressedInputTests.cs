using System.IO.Compression;
using Alimentar.Data;
using Alimentar.Quality;
using Alimentar.Tests.Support;

namespace Alimentar.Tests.Data;

/// <summary>Gzip and zstd text files are read as they decompress, and standard input ('-') is a dataset too.</summary>
public sealed class CompressedInputTests
{
    private static readonly string SampleCsv = Path.Combine(TestPaths.Samples, "reviews.csv");
    private readonly string _dir = TestPaths.NewTempDir();

    private string Gzip(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir, name);
        using (var file = File.Create(path))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        {
            gzip.Write(bytes);
        }

        return path;
    }

    private string Zstd(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir, name);
        using var compressor = new ZstdSharp.Compressor(3);
        File.WriteAllBytes(path, compressor.Wrap(bytes).ToArray());
        return path;
    }

    [Fact]
    public void CompressedCsvJsonLinesAndJsonScoreAsTheirPlainFilesDo()
    {
        var csv = File.ReadAllBytes(SampleCsv);
        var plain = QualityChecker.Score(SampleCsv);
        foreach (var compressed in new[] { Gzip("r.csv.gz", csv), Zstd("r.csv.zst", csv) })
        {
            var report = QualityChecker.Score(compressed);
            Assert.Equal(plain.Rows, report.Rows);
            Assert.Equal(plain.Score, report.Score);
        }

        var lines = "{\"a\": 1, \"b\": \"x\"}\n{\"a\": 2, \"b\": null}\n"u8.ToArray();
        Assert.Equal(2, QualityChecker.Score(Zstd("l.jsonl.zst", lines)).Rows);
        Assert.Equal(2, QualityChecker.Score(Gzip("a.json.gz", "[{\"a\": 1}, {\"a\": 2}]"u8.ToArray())).Rows);
    }

    [Fact]
    public void ACompressedFileCutShortIsAnErrorNotFewerRows()
    {
        var whole = File.ReadAllBytes(Gzip("whole.csv.gz", File.ReadAllBytes(SampleCsv)));
        var cut = Path.Combine(_dir, "cut.csv.gz");
        File.WriteAllBytes(cut, whole[..(whole.Length / 2)]);
        var error = Assert.Throws<DataReadException>(() => QualityChecker.Score(cut));
        Assert.StartsWith($"{cut}: the gzip data ends after", error.Message, StringComparison.Ordinal);
        Assert.Contains("cut short", error.Message, StringComparison.Ordinal);

        var zst = File.ReadAllBytes(Zstd("whole.csv.zst", File.ReadAllBytes(SampleCsv)));
        var cutZst = Path.Combine(_dir, "cut.csv.zst");
        File.WriteAllBytes(cutZst, zst[..(zst.Length / 2)]);
        Assert.StartsWith($"{cutZst}: the zstd data is corrupt or cut short", Assert.Throws<DataReadException>(() => QualityChecker.Score(cutZst)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("x.parquet.gz", "is a compressed Parquet file: decompress it first")]
    [InlineData("x.csv.gz", "is not gzip-compressed")]
    [InlineData("x.jsonl.zst", "is not zstd-compressed")]
    [InlineData("x.txt.gz", "has an unsupported extension")]
    public void WhatIsNotACompressedTextFileIsRefusedWithOneLine(string name, string expected)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, "a,b\n1,2\n");
        var result = CliRunner.Run("quality", "score", path);
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"error: {path}: {expected}", result.Stderr.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public void StandardInputIsADatasetPlainOrCompressed()
    {
        var csv = File.ReadAllBytes(SampleCsv);
        var fromFile = CliRunner.Run("quality", "score", SampleCsv, "--json");
        foreach (var piped in new[] { csv, File.ReadAllBytes(Gzip("p.csv.gz", csv)) })
        {
            var result = CliRunner.RunWithInput(piped, "quality", "score", "-", "--json");
            Assert.Equal(fromFile.ExitCode, result.ExitCode);
            Assert.Equal(ScoreOf(fromFile.Stdout), ScoreOf(result.Stdout));
        }

        var parquet = CliRunner.RunWithInput(File.ReadAllBytes(Path.Combine(TestPaths.Samples, "reviews.parquet")), "quality", "score", "-", "--json");
        Assert.Contains("\"rows\": 2000", parquet.Stdout, StringComparison.Ordinal);
        var empty = CliRunner.RunWithInput([], "quality", "score", "-");
        Assert.Equal(2, empty.ExitCode);
        Assert.Equal("error: standard input is empty: pipe a dataset in, or name a file", empty.Stderr.Trim());

        static double ScoreOf(string json) => System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("score").GetDouble();
    }
}
