using Alimentar.Quality;
using Alimentar.Quality.Profiles;
using Alimentar.Tests.Support;

namespace Alimentar.Tests.Quality;

/// <summary>Each dimension's formula on small tables computed by hand.</summary>
public sealed class ScoreFormulaTests
{
    private readonly string _dir = TestPaths.NewTempDir();

    [Fact]
    public void SmallTableMatchesHandComputedDimensions()
    {
        // Rows: (1,x) (2,-) (1,x) (4,y). b has one missing cell; row 2 duplicates row 0.
        var path = TestData.Csv(_dir, "t.csv", "a,b", "1,x", "2,", "1,x", "4,y");
        var report = QualityChecker.Score(path);
        // Completeness: C_cell = (1 + 0.75) / 2 = 0.875, C_row = 3/4 -> 100 * (0.4375 + 0.375) = 81.25
        Assert.Equal(81.25, report.Dimensions.Completeness.Score);
        // Uniqueness: e = 1/4 -> 75
        Assert.Equal(75, report.Dimensions.Uniqueness.Score);
        Assert.Equal(100, report.Dimensions.Consistency.Score);
        Assert.Equal(100, report.Dimensions.Schema.Score);
        // Overall: (81.25 + 75 + 100 + 100) / 4 = 89.06 -> 89.1, grade B
        Assert.Equal(89.1, report.Score);
        Assert.Equal("B", report.Grade);
        Assert.Equal(1, report.Duplicates.Exact);
        Assert.Equal([2L, 0L], report.Duplicates.Samples[0]);
    }

    [Fact]
    public void NormalizedDuplicatesFirstSeenInALaterRowGroupAreCounted()
    {
        // Row groups of 100,000: the first has only normalized text; in the second, rows 100000-100099 repeat rows
        // 0-99 exactly and rows 100100-100149 repeat rows 100-149 with doubled spaces (duplicates only after
        // normalization). The normalized identities start as a copy made while far fewer rows than declared were seen.
        const int rows = 400_000;
        var ids = new long?[rows];
        var labels = new string?[rows];
        var values = new double?[rows];
        for (var r = 0; r < rows; r++)
        {
            var source = r is >= 100_000 and < 100_150 ? r - 100_000 : r;
            ids[r] = source;
            labels[r] = r is >= 100_100 and < 100_150 ? $"label  {source}" : $"label {source}";
            values[r] = source * 0.5;
        }

        var path = TestData.Parquet(Path.Combine(_dir, "normalized.parquet"), ids, labels, values, rowGroupSize: 100_000);
        var report = QualityChecker.Score(path);
        Assert.Equal(100, report.Duplicates.Exact);
        Assert.Equal([100_000L, 0L], report.Duplicates.Samples[0]);
        Assert.Equal(150, report.Duplicates.Normalized);
        var finding = report.Findings.Single(f => f.Id == "normalized-duplicates");
        Assert.Equal(50, finding.Count);
        Assert.Equal(100_100L, finding.SampleRows[0]);
    }

    [Fact]
    public void NullTokensNaNAndBlankStringsAreMissing()
    {
        var path = TestData.Csv(_dir, "m.csv", "name,score", "ann,1.5", "N/A,2", "  ,NaN", "bob,null", "cy,3");
        var report = QualityChecker.Score(path);
        var name = report.Columns.Single(c => c.Name == "name");
        var score = report.Columns.Single(c => c.Name == "score");
        Assert.Equal(2, name.Missing);
        Assert.Equal(2, score.Missing);
        Assert.Equal(0, name.Nulls);
    }

    [Fact]
    public void TypeConformanceCountsValuesOutsideTheDominantClass()
    {
        // 4 integers and 1 word in column n: 1 violation of 5 type-checked cells in n, 5 clean cells in t.
        var path = TestData.Csv(_dir, "c.csv", "n,t", "1,aa", "2,bb", "3,cc", "4,dd", "five,ee");
        var report = QualityChecker.Score(path);
        Assert.Contains(report.Findings, f => f.Id == "type-mismatch" && f.Columns.Contains("n") && f.Count == 1);
        // Type family: 1/10 violations (weight 3). Encoding, whitespace, categories: 0/10 (weights 3, 1, 1).
        // Outliers on n (4 numeric values 1..4): none. Consistency = 100 * (1 - (3 * 0.1) / (3 + 3 + 1 + 1 + 1)).
        Assert.Equal(Math.Round(100 * (1 - (0.3 / 9)), 2), report.Dimensions.Consistency.Score);
    }

    [Fact]
    public void EncodingWhitespaceAndCategorySpellingsAreFound()
    {
        var path = TestData.Csv(_dir, "e.csv", "label,text", "Positive,caf\u00C3\u00A9 ok", "positive ,plain", "Positive,fine", "negative,\u0001bell");
        var report = QualityChecker.Score(path);
        Assert.Contains(report.Findings, f => f.Id == "encoding" && f.Count == 2);
        Assert.Contains(report.Findings, f => f.Id == "whitespace" && f.Columns.Contains("label"));
        Assert.Contains(report.Findings, f => f.Id == "category-spellings" && f.Count == 1);
    }

    [Fact]
    public void AllMissingColumnIsCriticalAndForcesGradeD()
    {
        var path = TestData.Csv(_dir, "n.csv", "a,b", "1,", "2,", "3,");
        var report = QualityChecker.Score(path);
        Assert.Equal("D", report.Grade);
        Assert.False(report.Publishable);
        Assert.NotEmpty(report.CriticalFailures);
    }

    [Fact]
    public void DoctestProfileRequiresColumnsAndTreatsDuplicatesAsCritical()
    {
        var path = TestData.Csv(_dir, "d.csv", "source,version,module,function,input,expected",
            "cpython,3.12,m,f,>>> f(1),None", "cpython,3.12,m,f,>>> f(1),None", "cpython,3.12,m,g,g(2),2");
        var report = QualityChecker.Score(path, new QualityOptions { Profile = BuiltInProfiles.DoctestCorpus });
        Assert.Equal("D", report.Grade);
        Assert.Contains(report.Findings, f => f.Id == "exact-duplicates" && f.Severity == Severity.Critical);
        Assert.Contains(report.Findings, f => f.Id == "pattern" && f.Columns.Contains("input") && f.Count == 1);
        // "None" is valid doctest output: null tokens are off for expected.
        Assert.Equal(0, report.Columns.Single(c => c.Name == "expected").Missing);

        var missing = TestData.Csv(_dir, "d2.csv", "module,input", "m,>>> 1");
        var gated = QualityChecker.Score(missing, new QualityOptions { Profile = BuiltInProfiles.DoctestCorpus });
        Assert.Contains(gated.Findings, f => f.Id == "required-columns" && f.Severity == Severity.Critical);
    }

    [Fact]
    public void CodeTranslationCountsDegeneratePairsAndLanguageTags()
    {
        var path = TestData.Csv(_dir, "ct.csv", "source_code,target_code,source_lang,target_lang",
            "\"def f(): return 1\",\"fn f() -> i32 { 1 }\",python,rust",
            "\"x = 1\",\"x = 1\",python,klingon",
            "\"def g(): pass\",\"fn g() {}\",python,rust");
        var report = QualityChecker.Score(path, new QualityOptions { Profile = BuiltInProfiles.CodeTranslation });
        Assert.Contains(report.Findings, f => f.Id == "degenerate-pairs" && f.Count == 1);
        Assert.Contains(report.Findings, f => f.Id == "pattern" && f.Columns.Contains("target_lang"));
    }

    [Fact]
    public void MlTrainingChecksLabelSanityAndImbalance()
    {
        var lines = new List<string> { "x,label" };
        lines.AddRange(Enumerable.Range(0, 40).Select(i => $"{i},cat"));
        lines.Add("99,dog");
        var path = TestData.Csv(_dir, "ml.csv", lines.ToArray());
        var report = QualityChecker.Score(path, new QualityOptions { Profile = BuiltInProfiles.MlTraining });
        Assert.Contains(report.Findings, f => f.Id == "class-imbalance");
        Assert.Contains("label", report.Columns.Single(c => c.Name == "label").Roles);
    }

    [Fact]
    public void JsonLinesMixedTypesAndMissingKeysAreDetected()
    {
        var path = Path.Combine(_dir, "j.jsonl");
        File.WriteAllText(path, "{\"a\":1,\"b\":\"x\"}\n{\"a\":2}\n{\"a\":\"three\",\"b\":\"y\"}\n{\"a\":4,\"b\":null}\n[1,2]\n");
        var report = QualityChecker.Score(path);
        var b = report.Columns.Single(c => c.Name == "b");
        Assert.Equal(3, b.Missing);
        Assert.Contains(report.Findings, f => f.Id == "mixed-json-types" && f.Columns.Contains("a") && f.Count == 1);
        Assert.Contains(report.Findings, f => f.Id == "nested-shape");
    }

    [Fact]
    public void NearDuplicatesAreVerifiedAndClustered()
    {
        var baseText = "the quick brown fox jumps over the lazy dog near the river bank today";
        var path = TestData.Csv(_dir, "nd.csv", "id,text",
            $"1,{baseText}",
            $"2,{baseText} again",
            "3,an entirely different sentence about parquet files and quality scores here",
            $"4,{baseText}");
        var report = QualityChecker.Score(path, new QualityOptions { NearDuplicates = true, Profile = BuiltInProfiles.Default with { TextColumns = ["text"] } });
        Assert.NotNull(report.Duplicates.Near);
        Assert.True(report.Duplicates.Near!.RedundantCopies >= 1);
        Assert.Contains(report.Findings, f => f.Id == "near-duplicates");
    }
}
