using System.Text;
using Alimentar.Quality;
using Alimentar.Quality.Accumulators;
using Alimentar.Tests.Support;

namespace Alimentar.Tests.Quality;

/// <summary>Findings show up to five offending values next to their rows, escaped and shortened for a terminal.</summary>
public sealed class ExampleValueTests
{
    [Theory]
    [InlineData("positive ", "'positive '")]
    [InlineData("a\tb\nc\rd", "'a\\tb\\nc\\rd'")]
    [InlineData("it's", "'it\\'s'")]
    [InlineData("\u001b[31mred", "'\\u001B[31mred'")]
    [InlineData("\uFEFFbom", "'\\uFEFFbom'")]
    [InlineData("zero\u200Bwidth", "'zero\\u200Bwidth'")]
    [InlineData("0123456789012345678901234567890123456789xyz", "'0123456789012345678901234567890123456789…'")]
    public void AValueIsQuotedEscapedAndShortened(string value, string shown) =>
        Assert.Equal(shown, SampleValue.Of(Encoding.UTF8.GetBytes(value)));

    [Fact]
    public void InvalidUtf8IsShownAsTheReplacementCharacterEscaped() =>
        Assert.Equal("'a\\uFFFDb'", SampleValue.Of([(byte)'a', 0xC3, (byte)'b']));

    [Fact]
    public void TypeWhitespaceAndEncodingFindingsCarryTheirValues()
    {
        var path = Path.Combine(TestPaths.NewTempDir(), "v.csv");
        var rows = Enumerable.Range(0, 40).Select(i => $"{i}.5,label{i % 3}").ToList();
        rows[3] = "\"3,9\",label0";
        rows[7] = "\"1,25\",label1 ";
        rows[9] = "2.5,bad\u0007bell";
        File.WriteAllText(path, "rating,label\n" + string.Join('\n', rows) + "\n");

        var report = QualityChecker.Score(path);

        var type = Assert.Single(report.Findings, f => f.Id == "type-mismatch");
        Assert.Equal([3L, 7], type.SampleRows);
        Assert.Equal(["'3,9'", "'1,25'"], type.Examples);
        Assert.Equal(["'label1 '"], Assert.Single(report.Findings, f => f.Id == "whitespace").Examples);
        Assert.Equal(["'bad\\u0007bell'"], Assert.Single(report.Findings, f => f.Id == "encoding").Examples);

        var text = CliRunner.Run("quality", "score", path).Stdout;
        Assert.Contains("           values: '3,9', '1,25'", text, StringComparison.Ordinal);
        Assert.Contains("\"examples\": [", CliRunner.Run("quality", "score", path, "--json").Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void AValueRepeatedInTheSampledRowsIsShownOnce()
    {
        var lines = new List<string> { "id,when" };
        lines.AddRange(Enumerable.Range(0, 300).Select(i => $"{i},{(i % 50 == 0 ? "not a date" : $"2024-01-{1 + (i % 28):00}")}"));
        var report = QualityChecker.Score(TestData.Csv(TestPaths.NewTempDir(), "d.csv", [.. lines]));
        var type = Assert.Single(report.Findings, f => f.Id == "type-mismatch");
        Assert.Equal([0L, 50, 100, 150, 200], type.SampleRows);
        Assert.Equal(["'not a date'"], type.Examples);
    }
}
