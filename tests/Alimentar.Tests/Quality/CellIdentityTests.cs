using System.Globalization;
using System.Numerics;
using System.Text;
using Alimentar.Quality;
using Alimentar.Semantics;
using Alimentar.Tests.Support;
using Alimentar.Transforms.Clean;
using Apache.Arrow;
using Apache.Arrow.Types;
using FsCheck;
using FsCheck.Fluent;

namespace Alimentar.Tests.Quality;

/// <summary>A cell's identity is what it denotes, whichever reader decoded it.</summary>
public sealed class CellIdentityTests
{
    private readonly string _dir = TestPaths.NewTempDir();

    private static UInt128 Text(string s) => CellIdentity.OfText(Encoding.UTF8.GetBytes(s));

    [Fact]
    public void NumbersAreIdentifiedByExactValueWhateverTheirSpellingOrStorage()
    {
        Assert.Equal(Text("1"), CellIdentity.Number(1.0));
        Assert.Equal(Text("1"), CellIdentity.Decimal(1000, 3));
        Assert.Equal(Text("1.250"), CellIdentity.Decimal(1250, 3));
        Assert.Equal(Text("1.25"), CellIdentity.Number(1.25));
        Assert.Equal(Text("1.10"), Text("1.1"));
        Assert.Equal(Text("15e-1"), Text("1.5"));
        Assert.Equal(Text("-0"), Text("0"));
        Assert.Equal(Text("1E+20"), CellIdentity.Number(1e20));
        Assert.Equal(Text("9000000000000000000"), CellIdentity.Number(9e18));
        Assert.Equal(Text("NaN"), CellIdentity.Number(double.NaN));
        Assert.Equal(Text("-Infinity"), CellIdentity.Number(double.NegativeInfinity));

        // Spellings that are not plain numbers stay text: zip codes, explicit signs, bare fractions.
        Assert.NotEqual(Text("007"), Text("7"));
        Assert.NotEqual(Text("+7"), Text("7"));
        Assert.NotEqual(Text(".5"), Text("0.5"));

        // A decimal a double would round is identified by its digits, not by the double.
        var precise = BigInteger.Parse("1000000000000000000001", CultureInfo.InvariantCulture);
        Assert.Equal(Text("0.1000000000000000000001"), CellIdentity.Decimal(precise, 22));
        Assert.NotEqual(Text("0.1000000000000000000001"), CellIdentity.Number(0.1));
        Assert.NotEqual(CellIdentity.Decimal(BigInteger.Parse("12345678901234567890123", CultureInfo.InvariantCulture), 0), CellIdentity.Decimal(BigInteger.Parse("12345678901234567890124", CultureInfo.InvariantCulture), 0));
    }

    [Fact]
    public void TemporalValuesAreIdentifiedByWhatTheyDenoteInAnyUnit()
    {
        var instant = new DateTimeOffset(2024, 1, 15, 10, 30, 0, 123, TimeSpan.Zero).ToUnixTimeMilliseconds();
        Assert.Equal(Text("2024-01-15T10:30:00.123Z"), CellIdentity.Temporal(TemporalKind.Instant, instant, 1_000_000));
        Assert.Equal(Text("2024-01-15T10:30:00.123000Z"), CellIdentity.Temporal(TemporalKind.Instant, instant * 1000, 1_000));
        Assert.Equal(Text("2024-01-15 11:30:00.123+01:00"), Text("2024-01-15T10:30:00.123Z"));
        Assert.NotEqual(Text("2024-01-15T10:30:00.123"), Text("2024-01-15T10:30:00.123Z"));
        Assert.Equal(Text("2024-01-15T10:30:00.123"), CellIdentity.Temporal(TemporalKind.LocalDateTime, instant, 1_000_000));
        var days = DateOnly.Parse("2024-01-15", CultureInfo.InvariantCulture).DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;
        Assert.Equal(Text("2024-01-15"), CellIdentity.Temporal(TemporalKind.Date, days, 86_400_000_000_000));
        Assert.Equal(Text("10:30:00.5"), CellIdentity.Temporal(TemporalKind.TimeOfDay, 37_800_500_000, 1_000));
        Assert.NotEqual(Text("2024-02-30"), Text("2024-03-01"));
    }

    [Fact]
    public void NestedValuesAreIdentifiedByCanonicalJsonAndEmptyTextIsNull()
    {
        Assert.Equal(Text("{\"a\": 1.0, \"b\": [1, \"x\", null]}"), Text("{\"a\":1,\"b\":[1,\"x\",null]}"));
        Assert.NotEqual(Text("{\"a\":1}"), Text("{\"a\":\"1\"}"));
        Assert.NotEqual(Text("{\"b\":1,\"a\":2}"), Text("{\"a\":2,\"b\":1}"));
        Assert.Equal(Text("{\"a\":\"\\u00e9\"}"), Text("{\"a\":\"é\"}"));
        Assert.Equal(Text("{not json"), Hashing.CellHash.Text("{not json"u8));
        Assert.Equal(CellIdentity.Null, Text(string.Empty));
        Assert.Equal(Text("TRUE"), Text("true"));
        Assert.NotEqual(Text("true"), Text("1"));
    }

    [Fact]
    public void TheFastDoubleConversionAgreesWithTheFullParser()
    {
        // Oracle: the runtime's correctly rounded parser on the decimal string, with no digit or exponent limit.
        Prop.ForAll(
            Gen.Choose(1, 999_999_999).Zip(Gen.Choose(0, 999_999)).Zip(Gen.Choose(-30, 30)).ToArbitrary(),
            t =>
            {
                var ((high, low), exponent) = t;
                var digits = (high.ToString(CultureInfo.InvariantCulture) + low.ToString("000000", CultureInfo.InvariantCulture)).TrimEnd('0');
                var text = digits + "E" + exponent.ToString(CultureInfo.InvariantCulture);
                var expected = double.Parse(text, CultureInfo.InvariantCulture);
                var actual = CanonicalDecimal.ToDouble(false, Encoding.ASCII.GetBytes(digits), exponent);
                return expected == actual && CanonicalDecimal.RoundTrips(expected, false, Encoding.ASCII.GetBytes(digits), exponent) == (Shortest(expected) == (digits, exponent));
            }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void EveryDoubleWrittenAsTextIsTheSameCellAsTheDouble()
    {
        Prop.ForAll(
            ArbMap.Default.ArbFor<double>(),
            d => !double.IsFinite(d) || Text(d.ToString("R", CultureInfo.InvariantCulture)) == CellIdentity.Number(d)).QuickCheckThrowOnFailure();

        // The decimal's integer shortcut against the text parser's general path.
        Prop.ForAll(
            ArbMap.Default.ArbFor<long>().Generator.Zip(Gen.Choose(0, 18)).ToArbitrary(),
            t => Text(DecimalText(t.Item1, t.Item2)) == CellIdentity.Decimal(t.Item1, t.Item2)).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void TheSameTableInParquetArrowCsvAndJsonLinesHasTheSameRowIdentities()
    {
        var parquet = Path.Combine(_dir, "table.parquet");
        WriteTable(parquet);
        var files = new List<string> { parquet };
        foreach (var name in new[] { "table.arrow", "table.csv", "table.jsonl" })
        {
            var output = Path.Combine(_dir, name);
            DatasetCleaner.Clean(parquet, new CleanOptions { Output = output });
            files.Add(output);
        }

        var identities = new List<UInt128[]>();
        var reports = new List<QualityReport>();
        foreach (var file in files)
        {
            var rows = new UInt128[6];
            reports.Add(QualityChecker.Score(file, new QualityOptions { RowIdentities = (offset, hashes) => hashes.CopyTo(rows, offset) }));
            identities.Add(rows);
        }

        Assert.Equal(5, identities[0].Distinct().Count());
        for (var f = 1; f < files.Count; f++)
        {
            Assert.True(identities[0].SequenceEqual(identities[f]), $"{Path.GetFileName(files[f])}: rows {string.Join(", ", Enumerable.Range(0, 6).Where(r => identities[0][r] != identities[f][r]))} differ");
            Assert.Equal(6, reports[f].Rows);
            Assert.Equal(1, reports[f].Duplicates.Exact);
            Assert.Equal(reports[0].Columns.Select(c => c.Missing), reports[f].Columns.Select(c => c.Missing));
        }
    }

    private static void WriteTable(string path)
    {
        var listBuilder = new ListArray.Builder(Int64Type.Default);
        var listValues = (Int64Array.Builder)listBuilder.ValueBuilder;
        foreach (var list in new long[][] { [1, 2], [3], [], [1, 2], [4, 5, 6], [7] })
        {
            listBuilder.Append();
            foreach (var v in list)
            {
                listValues.Append(v);
            }
        }

        var structType = new StructType([new Field("x", Int32Type.Default, true), new Field("y", StringType.Default, true)]);
        var structs = new StructArray(structType, 6,
            [new Int32Array.Builder().Append(1).Append(2).Append(3).Append(1).Append(5).Append(6).Build(),
             new StringArray.Builder().Append("p").Append("q é").Append("r").Append("p").Append("s").Append("t").Build()],
            ArrowBuffer.Empty, nullCount: 0);
        var utc = new TimestampType(TimeUnit.Millisecond, "UTC");
        var naive = new TimestampType(TimeUnit.Microsecond, (string?)null);
        var at = new DateTimeOffset(2024, 1, 15, 10, 30, 0, 123, TimeSpan.Zero);
        var columns = new IArrowArray[]
        {
            new Int64Array.Builder().Append(1).Append(2).Append(3).Append(1).Append(5).AppendNull().Build(),
            new DoubleArray.Builder().Append(2.0).Append(1.5).Append(0.1).Append(2.0).AppendNull().Append(1e20).Build(),
            new Decimal128Array.Builder(new Decimal128Type(10, 3)).Append(1.250m).Append(2m).Append(-0.001m).Append(1.250m).Append(99999.999m).AppendNull().Build(),
            new TimestampArray.Builder(utc).Append(at).Append(at.AddDays(1)).AppendNull().Append(at).Append(at.AddTicks(10)).Append(at.AddYears(-60)).Build(),
            new TimestampArray.Builder(naive).Append(at).Append(at.AddSeconds(1)).Append(at).Append(at).Append(at.AddTicks(20)).AppendNull().Build(),
            new Date32Array.Builder().Append(new DateTime(2024, 1, 15)).Append(new DateTime(1969, 12, 31)).Append(new DateTime(2024, 2, 29)).Append(new DateTime(2024, 1, 15)).AppendNull().Append(new DateTime(2000, 1, 1)).Build(),
            listBuilder.Build(),
            structs,
            new BooleanArray.Builder().Append(true).Append(false).AppendNull().Append(true).Append(true).Append(false).Build(),
            new StringArray.Builder().Append("007").Append("1.10").Append(string.Empty).Append("007").AppendNull().Append("plain text, with a comma").Build(),
        };
        var schema = new Schema(
            [
                new Field("id", Int64Type.Default, true), new Field("score", DoubleType.Default, true), new Field("amount", new Decimal128Type(10, 3), true),
                new Field("at", utc, true), new Field("local", naive, true), new Field("day", Date32Type.Default, true),
                new Field("list", new ListType(Int64Type.Default), true), new Field("point", structType, true),
                new Field("flag", BooleanType.Default, true), new Field("code", StringType.Default, true),
            ],
            null);
        using var arrowProperties = new ParquetSharp.Arrow.ArrowWriterPropertiesBuilder().StoreSchema().Build();
        using var writer = new ParquetSharp.Arrow.FileWriter(path, schema, arrowProperties: arrowProperties);
        writer.WriteRecordBatch(new RecordBatch(schema, columns, 6));
        writer.Close();
    }

    private static string DecimalText(long unscaled, int scale)
    {
        var digits = BigInteger.Abs(unscaled).ToString(CultureInfo.InvariantCulture).PadLeft(scale + 1, '0');
        var text = scale == 0 ? digits : digits[..^scale] + "." + digits[^scale..];
        return (unscaled < 0 ? "-" : string.Empty) + text;
    }

    private static (string Digits, int Exponent) Shortest(double value)
    {
        var shortest = value.ToString("R", CultureInfo.InvariantCulture);
        var mantissa = shortest.Split('E')[0].TrimStart('-');
        var exponent = shortest.Contains('E') ? int.Parse(shortest.Split('E')[1], CultureInfo.InvariantCulture) : 0;
        var point = mantissa.IndexOf('.');
        var digits = point < 0 ? mantissa : mantissa.Remove(point, 1);
        exponent -= point < 0 ? 0 : mantissa.Length - point - 1;
        var trimmed = digits.TrimStart('0');
        var stripped = trimmed.TrimEnd('0');
        return (stripped, exponent + (trimmed.Length - stripped.Length));
    }
}
