using Alimentar.Semantics;
using System.Runtime.InteropServices;
using System.Text;
using Alimentar.Data;
using Alimentar.Hashing;
using Alimentar.Quality;
using Alimentar.Quality.Accumulators;
using Alimentar.Quality.Profiles;

namespace Alimentar.Tests.Quality;

/// <summary>
/// The column scan takes shortcuts for the common cases: plain prose settled by one vector pass, repeated
/// dictionary values counted in bulk, numeric moments and quantile samples in separate passes, distinct values
/// added in one loop. Each must give exactly what the general path gives.
/// </summary>
public sealed class ScanShortcutTests
{
    private static readonly string[] Pieces =
    [
        "alpha", "Bravo", "the", "true", "TRUE", "false", "False", "t", "f", "trueish", "falsetto", "x", "NULL", "n/a",
        " ", "  ", "\t", "\n", "\r\n", "\u00A0", "é", "Ã©", "\u0007", "2024-01-05", "17", "-3.5", "+", ".", "{\"a\":1}", "[1]",
        "word word", "end ", " start", "mid  dle", "ab\tc",
    ];

    [Fact]
    public void PlainScanAgreesWithANaiveLoop()
    {
        var random = new Random(5);
        byte[] alphabet = [(byte)' ', (byte)' ', 0x1F, 0x20, 0x7E, 0x7F, 0x80, 0xC3, (byte)'\t', (byte)'\n'];
        for (var trial = 0; trial < 20_000; trial++)
        {
            var value = new byte[random.Next(0, 140)];
            for (var i = 0; i < value.Length; i++)
            {
                value[i] = random.Next(10) == 0 ? alphabet[random.Next(alphabet.Length)] : (byte)('a' + random.Next(26));
            }

            var expected = (
                Plain: value.All(b => b is >= 0x20 and < 0x80),
                DoubleSpace: value.Zip(value.Skip(1)).Any(p => p.First == ' ' && p.Second == ' '));
            Assert.Equal(expected, TextInspector.ScanPlain(value));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TextCellsGiveWhatTheGeneralChecksGive(bool code)
    {
        // Values built from pieces that sit on every edge of the shortcut: letters first or not, true/false and
        // words starting with t or f, edge and double spaces, controls, non-ASCII, null tokens, numbers, dates.
        var random = new Random(code ? 2 : 1);
        var values = Enumerable.Range(0, 30_000).Select(_ => RandomText(random)).ToArray();
        var plan = TextPlan(code);
        var scan = ColumnScanner.Scan(Managed(values), plan, keepBatch: false, new RowRole(null, 1, false, KeepRows: true));
        var expected = Reference(values, plan);
        var stats = scan.Stats;

        Assert.Equal(expected.Missing, stats.Missing);
        Assert.Equal(expected.TextCells, stats.TextCells);
        Assert.Equal(expected.ClassCounts, stats.ClassCounts);
        Assert.Equal(expected.DateFormats, stats.DateFormats);
        Assert.Equal(expected.EncodingProblems, stats.EncodingProblems);
        Assert.Equal(expected.EdgeWhitespace, stats.EdgeWhitespace);
        Assert.Equal(expected.CarriageReturnCells, stats.CarriageReturnCells);
        Assert.Equal(expected.LineFeedOnlyCells, stats.LineFeedOnlyCells);
        Assert.Equal(expected.NumericCount, stats.Numeric.Count);
        Assert.Equal(expected.Lengths.Count, stats.Lengths.Count);
        Assert.Equal(expected.Lengths.Mean, stats.Lengths.Mean, 9);
        Assert.Equal(expected.Lengths.Min, stats.Lengths.Min);
        Assert.Equal(expected.Lengths.Max, stats.Lengths.Max);
        Assert.Equal(expected.Normalized, (scan.NormalizedHashes ?? scan.CellHashes)!.AsSpan(0, scan.Rows).ToArray());
        for (var c = 0; c < expected.ClassSamples.Length; c++)
        {
            Assert.Equal(expected.ClassSamples[c], stats.ClassSamplesOf(c)?.Rows ?? []);
        }

        scan.Return();
    }

    [Fact]
    public void RepeatedDictionaryValuesGiveWhatManagedValuesGive()
    {
        // 120 distinct values in 64 cache slots: values share slots, evict each other, and are counted in bulk
        // while cached. Several chunks, so the cache is reset between them.
        var random = new Random(4);
        var vocabulary = Enumerable.Range(0, 120).Select(i => i < 100 ? $"label{i % 40}" + (i >= 40 ? " " : string.Empty) + (i >= 80 ? "  x" : string.Empty) : RandomText(random)).Distinct().ToArray();
        var plan = TextPlan(code: false);
        var native = new ColumnScanner(plan, 60_000, new RowRole(null, 1, false, KeepRows: true));
        var managed = new ColumnScanner(plan, 60_000, new RowRole(null, 1, false, KeepRows: true));
        var encoded = vocabulary.Select(Encoding.UTF8.GetBytes).ToArray();
        var total = encoded.Sum(e => e.Length);
        var memory = Marshal.AllocHGlobal(total + 1);
        try
        {
            var addresses = new nint[encoded.Length];
            var at = 0;
            for (var v = 0; v < encoded.Length; v++)
            {
                addresses[v] = memory + at;
                Marshal.Copy(encoded[v], 0, addresses[v], encoded[v].Length);
                at += encoded[v].Length;
            }

            for (var chunk = 0; chunk < 3; chunk++)
            {
                const int n = 20_000;

                // Skewed: a few values most of the time, like a label column, and every value some of the time.
                var picks = Enumerable.Range(0, n).Select(_ => random.Next(4) == 0 ? random.Next(vocabulary.Length) : random.Next(6)).ToArray();
                var valid = Enumerable.Range(0, n).Select(_ => random.Next(50) != 0).ToArray();
                var pointers = picks.Select(p => addresses[p]).ToArray();
                var lengths = picks.Select(p => encoded[p].Length).ToArray();
                native.Add(BytesColumnBatch.InNativeMemory(pointers, lengths, n, valid, isText: true));
                managed.Add(Managed(picks.Select((p, i) => valid[i] ? vocabulary[p] : null).ToArray()));
            }

            var a = native.Build();
            var b = managed.Build();
            Assert.Equal(b.Stats.Missing, a.Stats.Missing);
            Assert.Equal(b.Stats.Nulls, a.Stats.Nulls);
            Assert.Equal(b.Stats.TextCells, a.Stats.TextCells);
            Assert.Equal(b.Stats.ClassCounts, a.Stats.ClassCounts);
            Assert.Equal(b.Stats.DateFormats, a.Stats.DateFormats);
            Assert.Equal(b.Stats.EdgeWhitespace, a.Stats.EdgeWhitespace);
            Assert.Equal(b.Stats.Lengths.Count, a.Stats.Lengths.Count);
            Assert.Equal(b.Stats.Lengths.Mean, a.Stats.Lengths.Mean, 9);
            Assert.Equal(b.Stats.Lengths.M2, a.Stats.Lengths.M2, 6);
            Assert.Equal(b.Stats.Distinct.Count(), a.Stats.Distinct.Count());
            Assert.Equal(b.Stats.WhitespaceSamples.Rows, a.Stats.WhitespaceSamples.Rows);
            Assert.Equal(b.Stats.MissingSamples.Rows, a.Stats.MissingSamples.Rows);
            Assert.Equal(b.CellHashes!.AsSpan(0, b.Rows).ToArray(), a.CellHashes!.AsSpan(0, a.Rows).ToArray());
            Assert.Equal((b.NormalizedHashes ?? b.CellHashes)!.AsSpan(0, b.Rows).ToArray(), (a.NormalizedHashes ?? a.CellHashes)!.AsSpan(0, a.Rows).ToArray());
            Assert.Equal(
                b.Stats.Spellings.Spellings.OrderBy(s => s.Value, StringComparer.Ordinal),
                a.Stats.Spellings.Spellings.OrderBy(s => s.Value, StringComparer.Ordinal));
            a.Return();
            b.Return();
        }
        finally
        {
            Marshal.FreeHGlobal(memory);
        }
    }

    [Fact]
    public void NumericChunkPassesMatchValueByValueUpdates()
    {
        var random = new Random(9);
        for (var trial = 0; trial < 200; trial++)
        {
            var n = random.Next(0, 3000);
            var valid = random.Next(3) == 0 ? null : Enumerable.Range(0, n).Select(_ => random.Next(10) != 0).ToArray();
            var integers = Enumerable.Range(0, n).Select(_ => (long)random.Next(-1000, 1000) * (random.Next(4) == 0 ? 1_000_000_007 : 1)).ToArray();
            double[] specials = [0.0, -0.0, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 1e12, -1e-300];
            var doubles = Enumerable.Range(0, n).Select(_ => random.Next(8) == 0 ? specials[random.Next(specials.Length)] : (random.NextDouble() - 0.5) * 1e6).ToArray();

            var intReference = default(Moments);
            var intSketch = new QuantileSketch();
            var intBatch = new QuantileSketch();
            intSketch.StartStream(trial);
            intBatch.StartStream(trial);
            var doubleReference = default(Moments);
            var doubleSketch = new QuantileSketch();
            var doubleBatch = new QuantileSketch();
            doubleSketch.StartStream(trial);
            doubleBatch.StartStream(trial);
            for (var i = 0; i < n; i++)
            {
                if (valid is not null && !valid[i])
                {
                    continue;
                }

                intReference.Add(integers[i]);
                intSketch.Add(integers[i]);
                if (double.IsFinite(doubles[i]))
                {
                    doubleReference.Add(doubles[i]);
                    doubleSketch.Add(doubles[i]);
                }
            }

            intBatch.AddChunk<long>(integers, valid);
            doubleBatch.AddChunk<double>(doubles, valid);
            AssertSameMoments(intReference, ChunkMoments.Of<long>(integers, valid));
            AssertSameMoments(doubleReference, ChunkMoments.Of<double>(doubles, valid));
            Assert.Equal(intSketch.Count, intBatch.Count);
            Assert.Equal(intSketch.Quartiles(), intBatch.Quartiles());
            Assert.Equal(doubleSketch.Count, doubleBatch.Count);
            Assert.Equal(doubleSketch.Quartiles(), doubleBatch.Quartiles());
        }
    }

    [Fact]
    public void ZeroesKeepTheirSignInTheExtremes()
    {
        var moments = ChunkMoments.Of<double>([0.0, -0.0, 0.0], null);
        Assert.True(double.IsNegative(moments.Min));
        Assert.False(double.IsNegative(moments.Max));
        var reversed = ChunkMoments.Of<double>([-0.0, 0.0], null);
        Assert.True(double.IsNegative(reversed.Min));
        Assert.False(double.IsNegative(reversed.Max));
    }

    [Fact]
    public void LengthMomentsMatchFloatingPointUpdatesAndMergeExactly()
    {
        var random = new Random(8);
        var lengths = Enumerable.Range(0, 5000).Select(_ => random.Next(0, 400)).ToArray();
        var reference = default(Moments);
        foreach (var length in lengths)
        {
            reference.Add(length);
        }

        var whole = default(LengthMoments);
        var first = default(LengthMoments);
        var second = default(LengthMoments);
        for (var i = 0; i < lengths.Length; i++)
        {
            whole.Add(lengths[i]);
            if (i % 3 == 0)
            {
                first.Add(lengths[i]);
            }
            else
            {
                second.AddRepeated(lengths[i], 1);
            }
        }

        first.Merge(second);
        AssertSameMoments(reference, whole.ToMoments());
        Assert.Equal(whole.ToMoments(), first.ToMoments());

        var repeated = default(LengthMoments);
        repeated.AddRepeated(7, 3);
        repeated.Add(2);
        var naive = default(LengthMoments);
        foreach (var length in new[] { 7, 7, 7, 2 })
        {
            naive.Add(length);
        }

        Assert.Equal(naive.ToMoments(), repeated.ToMoments());
        Assert.Equal(default, default(LengthMoments).ToMoments());
    }

    [Theory]
    [InlineData(500)]
    [InlineData(150_000)]
    public void AddingAChunkCountsWhatAddingEachValueCounts(int n)
    {
        var random = new Random(n);
        var hashes = Enumerable.Range(0, n).Select(_ => random.Next(20) == 0 ? UInt128.Zero : new UInt128((ulong)random.NextInt64(), (ulong)random.Next(n / 2) * 0x9E3779B97F4A7C15UL)).ToArray();
        var absent = Enumerable.Range(0, n).Select(_ => random.Next(7) == 0).ToArray();
        var oneByOne = new DistinctCounter();
        for (var i = 0; i < n; i++)
        {
            if (!absent[i])
            {
                oneByOne.Add((ulong)hashes[i]);
            }
        }

        var chunked = new DistinctCounter();
        for (var start = 0; start < n; start += 4096)
        {
            var end = Math.Min(n, start + 4096);
            chunked.AddPresent(hashes.AsSpan(start, end - start), absent.AsSpan(start, end - start));
        }

        Assert.Equal(oneByOne.IsExact, chunked.IsExact);
        Assert.Equal(oneByOne.Count(), chunked.Count());
    }

    [Theory]
    [InlineData(0L, 1_000L, 3)] // a few values, counted by value throughout
    [InlineData(5_000_000L, 90_000L, 3)] // near the exact limit
    [InlineData(0L, 150_000L, 3)] // past the exact limit: the window hands over to the sketch
    [InlineData(0L, 3_000_000L, 3)] // wider than the window: values fall outside it mid-chunk
    [InlineData(long.MaxValue - 500, 1_000L, 3)] // the window wraps around the ends of the long range
    [InlineData(long.MinValue, 1_000L, 3)]
    public void IntegerColumnsCountWhatTheirHashesCount(long low, long span, int chunks)
    {
        var random = new Random((int)(span % 1000));
        var plan = new ColumnPlan { Index = 0, Info = new ColumnInfo("n", ColumnKind.Integer, "int64") };
        var scanner = new ColumnScanner(plan, 60_000);
        var reference = new DistinctCounter();
        for (var c = 0; c < chunks; c++)
        {
            const int n = 20_000;
            var values = Enumerable.Range(0, n).Select(_ => unchecked(low + random.NextInt64(span))).ToArray();
            var valid = Enumerable.Range(0, n).Select(_ => random.Next(20) != 0).ToArray();
            scanner.Add(new Int64ColumnBatch(values, n, valid));
            for (var i = 0; i < n; i++)
            {
                if (valid[i])
                {
                    reference.Add((ulong)CellHash.Integer(values[i]));
                }
            }
        }

        var scan = scanner.Build();
        Assert.Equal(reference.IsExact, scan.Stats.Distinct.IsExact);
        Assert.Equal(reference.Count(), scan.Stats.Distinct.Count());
        scan.Return();
    }

    [Fact]
    public void AnIntegerPartMergesWithTheDatasetLikeAHashedOne()
    {
        // The window's values reach the dataset's counter as the same hashes a small part's set holds.
        var plan = new ColumnPlan { Index = 0, Info = new ColumnInfo("n", ColumnKind.Integer, "int64") };
        var dataset = new ColumnStats();
        var big = new ColumnScanner(plan, 60_000, dataset: dataset);
        big.Add(new Int64ColumnBatch(Enumerable.Range(0, 60_000).Select(i => (long)(i % 5000)).ToArray(), 60_000, null));
        var small = ColumnScanner.Scan(new Int64ColumnBatch(Enumerable.Range(4000, 2000).Select(i => (long)i).ToArray(), 2000, null), plan, keepBatch: false, dataset: dataset);
        var bigScan = big.Build();
        dataset.Merge(bigScan.Stats, 0);
        dataset.Merge(small.Stats, 60_000);
        Assert.Equal(6000, dataset.Distinct.Count());
    }

    [Theory]
    [InlineData(0L, 0L, 60_000L)] // same block: the windows merge by OR
    [InlineData(0L, 5_000_000L, 60_000L)] // far apart: both become hashes
    [InlineData(0L, 0L, 150_000L)] // the union passes the exact limit: the sketch takes over
    public void WindowedPartsMergeLikeHashedOnes(long firstLow, long secondLow, long span)
    {
        var plan = new ColumnPlan { Index = 0, Info = new ColumnInfo("n", ColumnKind.Integer, "int64") };
        var random = new Random((int)(firstLow + secondLow + span));
        var dataset = new ColumnStats();
        var reference = new DistinctCounter();
        foreach (var low in new[] { firstLow, secondLow, firstLow })
        {
            const int n = 40_000;
            var values = Enumerable.Range(0, n).Select(_ => low + random.NextInt64(span)).ToArray();
            if (low == secondLow && secondLow == firstLow)
            {
                // Same block, different values: the second part reaches past the first one's range.
                values = values.Select(v => v + (span / 2)).ToArray();
            }

            var part = ColumnScanner.Scan(new Int64ColumnBatch(values, n, null), plan, keepBatch: false, dataset: dataset);
            dataset.Merge(part.Stats, 0);
            part.Return();
            foreach (var v in values)
            {
                reference.Add((ulong)CellHash.Integer(v));
            }
        }

        Assert.Equal(reference.IsExact, dataset.Distinct.IsExact);
        Assert.Equal(reference.Count(), dataset.Distinct.Count());
    }

    private static void AssertSameMoments(Moments expected, Moments actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        if (expected.Count == 0)
        {
            return;
        }

        Assert.Equal(expected.Min, actual.Min);
        Assert.Equal(expected.Max, actual.Max);
        Assert.Equal(double.IsNegative(expected.Min), double.IsNegative(actual.Min));
        Assert.Equal(double.IsNegative(expected.Max), double.IsNegative(actual.Max));
        var scale = Math.Max(1, Math.Abs(expected.Mean));
        Assert.True(Math.Abs(expected.Mean - actual.Mean) <= 1e-9 * scale, $"mean {expected.Mean} vs {actual.Mean}");
        Assert.True(Math.Abs(expected.M2 - actual.M2) <= 1e-7 * Math.Max(1, expected.M2), $"M2 {expected.M2} vs {actual.M2}");
    }

    private static string RandomText(Random random)
    {
        var sb = new StringBuilder();
        var parts = random.Next(1, 5);
        for (var p = 0; p < parts; p++)
        {
            sb.Append(random.Next(3) == 0 ? Pieces[random.Next(Pieces.Length)] : new string((char)('a' + random.Next(26)), random.Next(1, 40)));
            if (random.Next(2) == 0)
            {
                sb.Append(' ');
            }
        }

        // Long enough, at times, for the vector pass (32 bytes and more).
        return random.Next(4) == 0 ? sb.ToString().Trim() : sb.ToString();
    }

    private static ColumnPlan TextPlan(bool code)
    {
        // The default profile's null tokens; prose gets the whitespace checks, code keeps its layout.
        var tokens = new Alimentar.Semantics.NullTokenSet(BuiltInProfiles.Default.NullTokens);
        return new ColumnPlan
        {
            Index = 0,
            Info = new ColumnInfo("text", ColumnKind.String, "string"),
            IsText = !code,
            IsCode = code,
            WhitespaceChecks = !code,
            NullTokens = tokens,
        };
    }

    private static BytesColumnBatch Managed(string?[] values)
    {
        var offsets = new int[values.Length + 1];
        var data = new List<byte>();
        var valid = new bool[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is { } value)
            {
                valid[i] = true;
                data.AddRange(Encoding.UTF8.GetBytes(value));
            }

            offsets[i + 1] = data.Count;
        }

        return new BytesColumnBatch(offsets, [.. data], values.Length, valid, isText: true);
    }

    /// <summary>The general checks, cell by cell, from the inspector's building blocks.</summary>
    private static Expected Reference(string[] values, ColumnPlan plan)
    {
        var e = new Expected { ClassSamples = Enumerable.Range(0, 7).Select(_ => new List<long>()).ToArray() };
        var lengths = new List<int>();
        for (var i = 0; i < values.Length; i++)
        {
            var raw = Encoding.UTF8.GetBytes(values[i]);
            var hash = Alimentar.Semantics.CellIdentity.OfText(raw);
            // The model's definition in .NET strings (Unicode trim, tokens of any length), not the scanner's byte path.
            var trimmedText = values[i].Trim();
            var trimmed = Encoding.UTF8.GetBytes(trimmedText);
            if (trimmedText.Length == 0 || plan.NullTokens.Tokens.Contains(trimmedText.ToLowerInvariant()))
            {
                e.Missing++;
                e.Normalized.Add(hash);
                continue;
            }

            e.TextCells++;
            lengths.Add(raw.Length);
            var valueClass = Semantics.ValueClasses.Classify(trimmed, out var dateFormat);
            e.ClassCounts[(int)valueClass]++;
            if (e.ClassSamples[(int)valueClass].Count < SampleRows.Limit)
            {
                e.ClassSamples[(int)valueClass].Add(i);
            }

            e.DateFormats[dateFormat]++;
            var first = trimmed[0];
            if (valueClass is ValueClass.Integer or ValueClass.Decimal && (char.IsAsciiDigit((char)first) || first is (byte)'-' or (byte)'+' or (byte)'.') && TextInspector.TryParseNumber(trimmed, out _))
            {
                e.NumericCount++;
            }

            var shape = TextInspector.Inspect(raw);
            e.EncodingProblems += shape.EncodingProblem ? 1 : 0;
            if (plan.WhitespaceChecks)
            {
                e.EdgeWhitespace += shape.EdgeWhitespace ? 1 : 0;
                e.CarriageReturnCells += shape.CarriageReturn ? 1 : 0;
                e.LineFeedOnlyCells += !shape.CarriageReturn && shape.LineFeed ? 1 : 0;
            }

            e.Normalized.Add(TextInspector.IsNormalizedFast(raw, plan.IsCode, shape)
                ? hash
                : Alimentar.Semantics.CellIdentity.OfText(Encoding.UTF8.GetBytes(Alimentar.Semantics.TextNormalization.ForIdentity(values[i], plan.IsCode))));
        }

        foreach (var length in lengths)
        {
            e.Lengths.Add(length);
        }

        return e;
    }

    private sealed class Expected
    {
        public long Missing;
        public long TextCells;
        public long NumericCount;
        public long EncodingProblems;
        public long EdgeWhitespace;
        public long CarriageReturnCells;
        public long LineFeedOnlyCells;
        public Moments Lengths;
        public long[] ClassCounts = new long[7];
        public long[] DateFormats = new long[Semantics.ValueClasses.DateFormatNames.Length];
        public List<UInt128> Normalized = [];
        public List<long>[] ClassSamples = [];
    }
}
