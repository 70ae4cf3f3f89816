using System.Text;
using System.Text.Json;
using Alimentar.Data;
using Alimentar.Data.Lossless;
using Alimentar.Quality;
using Alimentar.Quality.Profiles;
using Alimentar.Tests.Support;
using Alimentar.Transforms.Clean;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace Alimentar.Tests.Transforms;

/// <summary>`clean` on hand-built tables with exact expected output for each flag.</summary>
public sealed class CleanTests
{
    private readonly string _dir = TestPaths.NewTempDir();

    [Fact]
    public void RemoveNullsUsesTheModelsMissingCellIncludingLongNonAsciiTokensAndNoBreakSpaces()
    {
        var input = TestData.Csv(_dir, "in.csv",
            "id,note",
            "1,kept",
            "2,not applicable here",
            "3,NÉ",
            "4,\u00A0\u00A0",
            "5,also kept",
            "6,");
        var profile = BuiltInProfiles.Default with { NullTokens = ["not applicable here", "né"] };
        var result = DatasetCleaner.Clean(input, new CleanOptions { Output = Out("out.parquet"), RemoveNulls = true, Profile = profile });

        Assert.Equal(6, result.RowsIn);
        Assert.Equal(2, result.RowsOut);
        Assert.Equal(4, result.RowsRemoved[RemovalReasons.Missing]);
        Assert.Equal(new long?[] { 1, 5 }, Int64s(Out("out.parquet"), "id"));
        Assert.Equal(["kept", "also kept"], Strings(Out("out.parquet"), "note"));
        Assert.Equal(100, result.After.Dimensions.Completeness.Score);
    }

    [Fact]
    public void TheScannerCountsCustomTokensAndUnicodeWhitespaceAsMissing()
    {
        var input = TestData.Csv(_dir, "tokens.csv", "note", "not applicable here", "NÉ", "\u00A0\u00A0", "real value");
        var profile = BuiltInProfiles.Default with { NullTokens = ["not applicable here", "né"] };
        var report = QualityChecker.Score(input, new QualityOptions { Profile = profile });
        Assert.Equal(3, report.Columns.Single().Missing);
    }

    [Fact]
    public void DeduplicateKeepsTheFirstOccurrenceAndRowOrder()
    {
        var input = TestData.Parquet(Path.Combine(_dir, "in.parquet"),
            [5, 1, 5, 2, 1, 3, 5],
            ["e", "a", "e", "b", "a", "c", "e"],
            [0.5, 0.1, 0.5, 0.2, 0.1, 0.3, 0.5],
            rowGroupSize: 3);
        var removed = Out("removed.jsonl");
        var result = DatasetCleaner.Clean(input, new CleanOptions { Output = Out("out.parquet"), Deduplicate = true, RemovedPath = removed });

        Assert.Equal(new long?[] { 5, 1, 2, 3 }, Int64s(Out("out.parquet"), "id"));
        Assert.Equal(3, result.RowsRemoved[RemovalReasons.Duplicate]);
        var lines = File.ReadAllLines(removed).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal([2L, 4L, 6L], lines.Select(l => l.GetProperty("row").GetInt64()));
        Assert.Equal([0L, 1L, 0L], lines.Select(l => l.GetProperty("duplicateOf").GetInt64()));
        Assert.All(lines, l => Assert.Equal("duplicate", l.GetProperty("reason").GetString()));
        Assert.All(lines, l => Assert.Equal(1.0, l.GetProperty("similarity").GetDouble()));
        Assert.Equal(0, result.After.Duplicates.Exact);
        Assert.Equal(100, result.After.Dimensions.Uniqueness.Score);
    }

    [Fact]
    public void NormalizeTextRepairsProseAndMakesWhitespaceVariantsDuplicatesButLeavesCodeWhitespace()
    {
        var input = Path.Combine(_dir, "text.jsonl");
        File.WriteAllLines(input, new[]
        {
            Json(("text", "hello  world"), ("code", "def f():\n    return 1")),
            Json(("text", " hello world\r\n"), ("code", "def f():\n    return 1")),
            Json(("text", "cafe\u0301 au\u0000 lait"), ("code", "x  =  1\r\n")),
            Json(("text", "café au lait"), ("code", "x  =  1\n")),
            Json(("text", "\uFEFFsomething else"), ("code", "y = 2")),
        });
        var profile = BuiltInProfiles.Default with { CodeColumns = ["code"] };
        var output = Out("out.parquet");
        var result = DatasetCleaner.Clean(input, new CleanOptions { Output = output, NormalizeText = true, Deduplicate = true, Profile = profile });

        Assert.Equal(["hello world", "café au lait", "something else"], Strings(output, "text"));
        Assert.Equal(["def f():\n    return 1", "x  =  1\n", "y = 2"], Strings(output, "code"));
        Assert.Equal(2, result.RowsRemoved[RemovalReasons.Duplicate]);
        Assert.Contains(result.CellChanges, c => c.Step == "normalize-text" && c.Column == "text" && c.Changed == 4);
        Assert.Contains(result.CellChanges, c => c.Step == "normalize-text" && c.Column == "code" && c.Changed == 1);
    }

    [Fact]
    public void ValidateTypesTurnsNumbersStoredAsStringsIntoNumbersAndTheRestIntoMissing()
    {
        var input = Path.Combine(_dir, "typed.parquet");
        WriteArrowParquet(input, new RecordBatch.Builder()
            .Append("count", true, new StringArray.Builder().Append("1").Append(" 2 ").Append("three").Append("4").AppendNull().Append("5").Build())
            .Append("price", true, new StringArray.Builder().Append("1.5").Append("2").Append("2.25").Append("n/a").Append("3e2").Append("x").Build())
            .Append("name", true, new StringArray.Builder().Append("a").Append("b").Append("c").Append("d").Append("e").Append("f").Build())
            .Build());
        var output = Out("out.parquet");
        var result = DatasetCleaner.Clean(input, new CleanOptions { Output = output, ValidateTypes = true });

        using (var source = RecordBatchSources.Open(output))
        {
            Assert.Equal(ArrowTypeId.Int64, source.Schema.GetFieldByName("count").DataType.TypeId);
            Assert.Equal(ArrowTypeId.Double, source.Schema.GetFieldByName("price").DataType.TypeId);
            Assert.Equal(ArrowTypeId.String, source.Schema.GetFieldByName("name").DataType.TypeId);
        }

        Assert.Equal(new long?[] { 1, 2, null, 4, null, 5 }, Int64s(output, "count"));
        Assert.Equal(new double?[] { 1.5, 2, 2.25, null, 300, null }, Doubles(output, "price"));
        Assert.Contains(result.CellChanges, c => c.Column == "count" && c.Changed == 4 && c.MadeMissing == 1);
        Assert.Contains(result.CellChanges, c => c.Column == "price" && c.Changed == 4 && c.MadeMissing == 1);

        var withNulls = DatasetCleaner.Clean(input, new CleanOptions { Output = Out("out2.parquet"), ValidateTypes = true, RemoveNulls = true });
        Assert.Equal(2, withNulls.RowsOut);
        Assert.Equal(new long?[] { 1, 2 }, Int64s(Out("out2.parquet"), "count"));
    }

    [Fact]
    public void EveryRemovedDuplicateNamesItsFirstOccurrenceWhenNormalizationChangesNothing()
    {
        // More duplicates than the scan keeps as samples, and text that needs no normalization: the verdicts then
        // use the raw identity, and every pair must still be kept for the removed-row list.
        var ids = Enumerable.Range(0, 20).Select(i => (long?)(i % 4)).ToArray();
        var input = TestData.Parquet(Path.Combine(_dir, "pairs.parquet"), ids, ids.Select(i => $"v{i}").ToArray(), ids.Select(i => (double?)i).ToArray(), rowGroupSize: 8);
        var removed = Out("pairs.jsonl");
        var result = DatasetCleaner.Clean(input, new CleanOptions { Output = Out("pairs-out.parquet"), Deduplicate = true, NormalizeText = true, RemovedPath = removed });

        Assert.Equal(16, result.RowsRemoved[RemovalReasons.Duplicate]);
        var lines = File.ReadAllLines(removed).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(16, lines.Count);
        Assert.All(lines, l => Assert.Equal(l.GetProperty("row").GetInt64() % 4, l.GetProperty("duplicateOf").GetInt64()));
    }

    [Fact]
    public void ValidateTypesHonoursAColumnsNullTokensOff()
    {
        var input = Path.Combine(_dir, "tokens-off.parquet");
        WriteArrowParquet(input, new RecordBatch.Builder()
            .Append("n", true, new StringArray.Builder().Append("1").Append("2").Append("none").Append("3").Build())
            .Append("m", true, new StringArray.Builder().Append("1").Append("2").Append("none").Append("3").Build())
            .Build());
        var profile = BuiltInProfiles.Default with { NullTokensOffColumns = ["n"] };
        var result = DatasetCleaner.Clean(input, new CleanOptions { Output = Out("tokens-off-out.parquet"), ValidateTypes = true, Profile = profile });

        // In n "none" is a value that is not an integer (made missing); in m it is a null token (already missing).
        Assert.Contains(result.CellChanges, c => c.Column == "n" && c.Changed == 3 && c.MadeMissing == 1);
        Assert.Contains(result.CellChanges, c => c.Column == "m" && c.Changed == 3 && c.MadeMissing == 0);
    }

    [Fact]
    public void NearDuplicatesJustAboveTheThresholdGoAndJustBelowStay()
    {
        // 20 distinct words; a copy with one word changed shares 15 of 17 distinct 5-grams (0.79 Jaccard: 15/19),
        // one with the last word changed shares 15 of 16 (15/17 = 0.88).
        var words = Enumerable.Range(0, 20).Select(i => $"word{(char)('a' + i)}").ToArray();
        var original = string.Join(' ', words);
        var lastChanged = string.Join(' ', words[..^1].Append("different"));
        var middleChanged = string.Join(' ', words.Select((w, i) => i == 10 ? "other" : w));
        var input = Path.Combine(_dir, "near.jsonl");
        File.WriteAllLines(input, new[]
        {
            Json(("id", "1"), ("text", original)),
            Json(("id", "2"), ("text", lastChanged)),
            Json(("id", "3"), ("text", middleChanged)),
            Json(("id", "4"), ("text", "a completely unrelated sentence with its own words entirely")),
        });
        var removed = Out("near-removed.jsonl");
        var result = DatasetCleaner.Clean(input, new CleanOptions { Output = Out("out.parquet"), NearDuplicates = true, Threshold = 0.8, Columns = ["text"], RemovedPath = removed });

        Assert.Equal(["1", "3", "4"], Strings(Out("out.parquet"), "id"));
        Assert.Equal(1, result.RowsRemoved[RemovalReasons.NearDuplicate]);
        var line = JsonDocument.Parse(File.ReadAllLines(removed).Single()).RootElement;
        Assert.Equal(1, line.GetProperty("row").GetInt64());
        Assert.Equal(0, line.GetProperty("duplicateOf").GetInt64());
        Assert.Equal(Math.Round(15.0 / 17, 4), line.GetProperty("similarity").GetDouble());
        Assert.NotNull(result.NearDuplicateParameters);
    }

    [Fact]
    public void NestedColumnsPassThroughUntouched()
    {
        var input = Path.Combine(_dir, "nested.parquet");
        var listBuilder = new ListArray.Builder(Int64Type.Default);
        var values = (Int64Array.Builder)listBuilder.ValueBuilder;
        foreach (var list in new long[][] { [1, 2], [3], [1, 2], [] })
        {
            listBuilder.Append();
            foreach (var v in list)
            {
                values.Append(v);
            }
        }

        var structType = new StructType([new Field("x", Int32Type.Default, true), new Field("y", StringType.Default, true)]);
        var structs = new StructArray(structType, 4,
            [new Int32Array.Builder().Append(1).Append(2).Append(1).Append(3).Build(), new StringArray.Builder().Append("p").Append("q").Append("p").Append("r").Build()],
            ArrowBuffer.Empty, nullCount: 0);
        var decimals = new Decimal128Array.Builder(new Decimal128Type(10, 3)).Append(1.250m).Append(2.5m).Append(1.250m).Append(99999.999m).Build();
        var stamps = new TimestampArray.Builder(new TimestampType(TimeUnit.Millisecond, "Europe/Paris"))
            .Append(new DateTimeOffset(2024, 1, 15, 10, 30, 0, TimeSpan.Zero)).Append(new DateTimeOffset(2024, 2, 1, 0, 0, 0, TimeSpan.Zero))
            .Append(new DateTimeOffset(2024, 1, 15, 10, 30, 0, TimeSpan.Zero)).Append(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero)).Build();
        var batch = new RecordBatch(
            new Schema([new Field("list", new ListType(Int64Type.Default), true), new Field("point", structType, true), new Field("amount", decimals.Data.DataType, true), new Field("at", stamps.Data.DataType, true)], [KeyValuePair.Create("owner", "tests")]),
            [listBuilder.Build(), structs, decimals, stamps], 4);
        WriteArrowParquet(input, batch);

        using (var original = RecordBatchSources.Open(input))
        {
            Assert.NotNull(original.Schema.Metadata);
            Assert.Equal("tests", original.Schema.Metadata["owner"]);
        }

        var output = Out("nested-out.parquet");
        var result = DatasetCleaner.Clean(input, new CleanOptions { Output = output, Deduplicate = true });
        Assert.Equal(3, result.RowsOut);

        using var source = RecordBatchSources.Open(output);
        Assert.Equal("tests", source.Schema.Metadata["owner"]);
        var types = source.Schema.FieldsList.Select(f => f.DataType).ToList();
        Assert.IsType<ListType>(types[0]);
        Assert.IsType<StructType>(types[1]);
        Assert.Equal(new Decimal128Type(10, 3).Scale, ((Decimal128Type)types[2]).Scale);
        Assert.Equal(TimeUnit.Millisecond, ((TimestampType)types[3]).Unit);
        Assert.Equal("Europe/Paris", ((TimestampType)types[3]).Timezone);
        var read = source.Batches().Single();
        var lists = (ListArray)read.Column(0);
        Assert.Equal([1L, 2L], ((Int64Array)lists.GetSlicedValues(0)).Values.ToArray());
        Assert.Equal([3L], ((Int64Array)lists.GetSlicedValues(1)).Values.ToArray());
        Assert.Equal(0, lists.GetValueLength(2));
        Assert.Equal("r", ((StringArray)((StructArray)read.Column(1)).Fields[1]).GetString(2));
        Assert.Equal(99999.999m, ((Decimal128Array)read.Column(2)).GetValue(2));
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), ((TimestampArray)read.Column(3)).GetTimestamp(2));
    }

    [Fact]
    public void DropColumnsRemovesThemAndAnUnknownNameIsRefusedWithTheClosest()
    {
        var input = TestData.Csv(_dir, "movies.csv", "title,US DVD Sales,_comment", "A,,", "B,100,x");
        var output = Out("movies.parquet");
        var result = DatasetCleaner.Clean(input, new CleanOptions { Output = output, DropColumns = ["US DVD Sales", "_comment"], RemoveNulls = true });
        Assert.Equal(2, result.RowsOut);
        using (var source = RecordBatchSources.Open(output))
        {
            Assert.Equal(["title"], source.Schema.FieldsList.Select(f => f.Name));
        }

        var error = Assert.Throws<ArgumentException>(() => DatasetCleaner.Clean(input, new CleanOptions { Output = Out("x.parquet"), DropColumns = ["US DVD Sale"] }));
        Assert.Contains("did you mean 'US DVD Sales'", error.Message);
        Assert.False(File.Exists(Out("x.parquet")));
    }

    [Fact]
    public void SafetyInputUntouchedOutputThatIsAnInputRefusedDryRunWritesNothingOutputIsDeterministic()
    {
        var input = TestData.Parquet(Path.Combine(_dir, "safe.parquet"), [1, 1, null, 2], ["a", "a", "b", "c"], [1, 1, 2, 3], rowGroupSize: 2);
        var before = File.ReadAllBytes(input);
        Assert.Throws<ArgumentException>(() => DatasetCleaner.Clean(input, new CleanOptions { Output = input, Deduplicate = true }));

        var dry = DatasetCleaner.Clean(input, new CleanOptions { Output = Out("dry.parquet"), Deduplicate = true, RemoveNulls = true, DryRun = true });
        Assert.False(File.Exists(Out("dry.parquet")));
        Assert.Empty(dry.Outputs);
        Assert.Equal(2, dry.RowsOut);
        Assert.Equal(2, dry.After.Rows);

        DatasetCleaner.Clean(input, new CleanOptions { Output = Out("a.parquet"), Deduplicate = true, RemoveNulls = true });
        DatasetCleaner.Clean(input, new CleanOptions { Output = Out("b.parquet"), Deduplicate = true, RemoveNulls = true });
        Assert.Equal(File.ReadAllBytes(Out("a.parquet")), File.ReadAllBytes(Out("b.parquet")));
        Assert.Equal(before, File.ReadAllBytes(input));
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetDirectories(_dir, ".alimentar-clean-*", SearchOption.AllDirectories));
    }

    [Fact]
    public void AFolderIsOneDatasetAndAFolderOutputKeepsShardNames()
    {
        var data = Directory.CreateDirectory(Path.Combine(_dir, "data")).FullName;
        TestData.Parquet(Path.Combine(data, "train-0.parquet"), [1, 2, 3], ["a", "b", "c"], [1, 2, 3], rowGroupSize: 2);
        TestData.Parquet(Path.Combine(data, "train-1.parquet"), [3, 4, 1], ["c", "d", "a"], [3, 4, 1], rowGroupSize: 2);
        var output = Path.Combine(_dir, "cleaned") + "/";
        var result = DatasetCleaner.Clean(data, new CleanOptions { Output = output, Deduplicate = true });

        Assert.Equal(2, result.RowsRemoved[RemovalReasons.Duplicate]);
        Assert.Equal(new long?[] { 1, 2, 3 }, Int64s(Path.Combine(output, "train-0.parquet"), "id"));
        Assert.Equal(new long?[] { 4 }, Int64s(Path.Combine(output, "train-1.parquet"), "id"));
    }

    [Fact]
    public void TextInputsBecomeTypedColumnsWithoutLosingZipCodes()
    {
        var input = TestData.Csv(_dir, "types.csv", "id,zip,score,flag,name", "1,02134,1.5,true,a", "2,10001,NA,false,b", "3,,2,TRUE,c");
        var output = Out("types.parquet");
        DatasetCleaner.Clean(input, new CleanOptions { Output = output, Deduplicate = true });
        using var source = RecordBatchSources.Open(output);
        Assert.Equal(
            [ArrowTypeId.Int64, ArrowTypeId.String, ArrowTypeId.Double, ArrowTypeId.Boolean, ArrowTypeId.String],
            source.Schema.FieldsList.Select(f => f.DataType.TypeId));
        Assert.Equal(["02134", "10001", "<null>"], Strings(output, "zip"));
        Assert.Equal(new double?[] { 1.5, null, 2 }, Doubles(output, "score"));
    }

    [Theory]
    [InlineData("out.csv")]
    [InlineData("out.jsonl")]
    [InlineData("out.arrow")]
    [InlineData("out.parquet")]
    public void EveryOutputFormatReadsBackToTheSameCounts(string name)
    {
        var input = TestData.Parquet(Path.Combine(_dir, "fmt.parquet"), [1, 2, 2, null, 5], ["a, with comma", "b \"quoted\"", "b \"quoted\"", "line\nbreak", " "], [1.5, null, null, 3, 4], rowGroupSize: 5);
        var output = Out(name);
        var result = DatasetCleaner.Clean(input, new CleanOptions { Output = output, Deduplicate = true });
        Assert.Equal(4, result.RowsOut);
        var after = QualityChecker.Score(output);
        Assert.Equal(4, after.Rows);
        Assert.Equal(0, after.Duplicates.Exact);
        Assert.Equal([1L, 1L, 1L], after.Columns.Select(c => c.Missing));
    }

    [Fact]
    public void TheSameTableInEveryFormatHasTheSameMissingCountsAndDuplicates()
    {
        var ids = new long?[] { 1, 2, 2, null, 4, 1 };
        var labels = new[] { "x", "n/a", "n/a", "y", "\u00A0", "x" };
        var values = new double?[] { 0.5, 1.5, 1.5, null, 2.5, 0.5 };
        var parquet = TestData.Parquet(Path.Combine(_dir, "same.parquet"), ids, labels, values, rowGroupSize: 4);
        var reports = new List<QualityReport> { QualityChecker.Score(parquet) };
        foreach (var name in new[] { "same.arrow", "same.csv", "same.jsonl" })
        {
            DatasetCleaner.Clean(parquet, new CleanOptions { Output = Out(name), DropColumns = [], NormalizeText = false, ValidateTypes = true });
            reports.Add(QualityChecker.Score(Out(name)));
        }

        foreach (var report in reports)
        {
            Assert.Equal([1L, 3L, 1L], report.Columns.Select(c => c.Missing));
            Assert.Equal(2, report.Duplicates.Exact);
        }
    }

    [Fact]
    public void CleanIsIdempotentAndLeavesNoMissingRequiredCellOrDuplicateByTheScorersCount()
    {
        var sample = Path.Combine(TestPaths.Samples, "reviews.parquet");
        var first = DatasetCleaner.Clean(sample, new CleanOptions { Output = Out("once.parquet"), RemoveNulls = true, Deduplicate = true });
        Assert.Equal(100, first.After.Dimensions.Completeness.Score);
        Assert.Equal(100, first.After.Dimensions.Uniqueness.Score);
        Assert.True(first.After.Score >= first.Before.Score);

        var second = DatasetCleaner.Clean(Out("once.parquet"), new CleanOptions { Output = Out("twice.parquet"), RemoveNulls = true, Deduplicate = true });
        Assert.Equal(first.RowsOut, second.RowsOut);
        Assert.Equal(0, second.RowsRemoved.Values.Sum());

        var all = DatasetCleaner.Clean(sample, new CleanOptions { Output = Out("all.parquet"), RemoveNulls = true, Deduplicate = true, ValidateTypes = true, NormalizeText = true });
        Assert.True(all.After.Score >= all.Before.Score, $"{all.After.Score} < {all.Before.Score}");
        var again = DatasetCleaner.Clean(Out("all.parquet"), new CleanOptions { Output = Out("all2.parquet"), RemoveNulls = true, Deduplicate = true, ValidateTypes = true, NormalizeText = true });
        Assert.Equal(all.RowsOut, again.RowsOut);
        Assert.All(again.CellChanges, c => Assert.Equal(0, c.Changed - (c.Step == "validate-types" ? c.Changed : 0)));
    }

    private string Out(string name) => Path.Combine(_dir, name);

    private static string Json(params (string Key, string Value)[] fields)
    {
        var o = new System.Text.Json.Nodes.JsonObject();
        foreach (var (k, v) in fields)
        {
            o[k] = v;
        }

        return o.ToJsonString();
    }

    private static void WriteArrowParquet(string path, RecordBatch batch)
    {
        using var arrowProperties = new ParquetSharp.Arrow.ArrowWriterPropertiesBuilder().StoreSchema().Build();
        using var writer = new ParquetSharp.Arrow.FileWriter(path, batch.Schema, arrowProperties: arrowProperties);
        writer.WriteRecordBatch(batch);
        writer.Close();
    }

    private static List<IArrowArray> Column(string path, string name)
    {
        using var source = RecordBatchSources.Open(path);
        var index = source.Schema.GetFieldIndex(name);
        return source.Batches().Select(b => b.Column(index)).ToList();
    }

    private static long?[] Int64s(string path, string name) =>
        Column(path, name).SelectMany(a => Enumerable.Range(0, a.Length).Select(i => ((Int64Array)a).GetValue(i))).ToArray();

    private static double?[] Doubles(string path, string name) =>
        Column(path, name).SelectMany(a => Enumerable.Range(0, a.Length).Select(i => ((DoubleArray)a).GetValue(i))).ToArray();

    private static string[] Strings(string path, string name) =>
        Column(path, name).SelectMany(a => Enumerable.Range(0, a.Length).Select(i => ((StringArray)a).GetString(i) ?? "<null>")).ToArray();
}
