using Alimentar.Quality;
using Alimentar.Tests.Support;

namespace Alimentar.Tests.Quality;

/// <summary>Outliers are checked on numbers whatever the format, and the finding shows the extreme values.</summary>
public sealed class OutlierTests
{
    private static readonly int[] Values = [1, 2, 2, 3, 2, 1, 3, 2, 1000, 2, -700, 3, 1, 2];

    [Fact]
    public void JsonNumbersGetTheOutlierCheckCsvNumbersGet()
    {
        var dir = TestPaths.NewTempDir();
        var csv = Path.Combine(dir, "v.csv");
        var jsonl = Path.Combine(dir, "v.jsonl");
        File.WriteAllText(csv, "v,id\n" + string.Concat(Values.Select((v, i) => $"{v},{i}\n")));
        File.WriteAllText(jsonl, string.Concat(Values.Select((v, i) => $"{{\"v\": {v}, \"id\": {i}}}\n")));

        var fromCsv = Assert.Single(QualityChecker.Score(csv).Findings, f => f.Id == "outliers");
        var fromJson = Assert.Single(QualityChecker.Score(jsonl).Findings, f => f.Id == "outliers");

        Assert.Equal(2, fromCsv.Count);
        Assert.Equal(fromCsv.Message, fromJson.Message);
        Assert.EndsWith("such as 1000, -700", fromCsv.Message, StringComparison.Ordinal);
    }
}
