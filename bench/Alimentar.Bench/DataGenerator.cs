using ParquetSharp;

namespace Alimentar.Bench;

/// <summary>Deterministic datasets for the benchmark and the bundled sample.</summary>
public static class DataGenerator
{
    private static readonly string[] Words =
    [
        "data", "model", "train", "token", "quality", "parquet", "score", "label", "sample", "feature", "vector", "batch",
        "learning", "dataset", "publish", "review", "great", "poor", "fast", "slow", "river", "mountain", "city", "ocean",
        "green", "blue", "quick", "lazy", "bright", "silent", "robust", "noisy", "signal", "output", "input", "layer",
    ];

    private static readonly string[] Labels = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"];

    /// <summary>The benchmark file: int64 id, double (3 % null), 10-value label, 80-300 char text, int32 (0.5 % null), ~2 % duplicate rows.</summary>
    public static void WriteBenchmark(string path, int rows, int rowGroupSize = 1_000_000)
    {
        var random = new Random(20261125);
        var columns = new Column[] { new Column<long>("id"), new Column<double?>("value"), new Column<string>("label"), new Column<string>("text"), new Column<int?>("count") };
        using var properties = new WriterPropertiesBuilder().Compression(Compression.Snappy).Build();
        using var writer = new ParquetFileWriter(path, columns, properties);
        var written = 0;
        while (written < rows)
        {
            var n = Math.Min(rowGroupSize, rows - written);
            var ids = new long[n];
            var values = new double?[n];
            var labels = new string[n];
            var texts = new string[n];
            var counts = new int?[n];
            for (var i = 0; i < n; i++)
            {
                if (i > 0 && random.NextDouble() < 0.02)
                {
                    var j = random.Next(i);
                    (ids[i], values[i], labels[i], texts[i], counts[i]) = (ids[j], values[j], labels[j], texts[j], counts[j]);
                    continue;
                }

                ids[i] = written + i;
                values[i] = random.NextDouble() < 0.03 ? null : Math.Round(random.NextDouble() * 1000, 3);
                labels[i] = Labels[random.Next(Labels.Length)];
                texts[i] = RandomWordsText(random, 80 + random.Next(221));
                counts[i] = random.NextDouble() < 0.005 ? null : random.Next(100_000);
            }

            using var rowGroup = writer.AppendRowGroup();
            using (var w = rowGroup.NextColumn().LogicalWriter<long>())
            {
                w.WriteBatch(ids);
            }

            using (var w = rowGroup.NextColumn().LogicalWriter<double?>())
            {
                w.WriteBatch(values);
            }

            using (var w = rowGroup.NextColumn().LogicalWriter<string>())
            {
                w.WriteBatch(labels);
            }

            using (var w = rowGroup.NextColumn().LogicalWriter<string>())
            {
                w.WriteBatch(texts);
            }

            using (var w = rowGroup.NextColumn().LogicalWriter<int?>())
            {
                w.WriteBatch(counts);
            }

            written += n;
        }

        writer.Close();
    }

    /// <summary>The bundled sample: a small review dataset with the defects real exports have.</summary>
    public static void WriteSample(string path)
    {
        var random = new Random(42);
        const int n = 2000;
        var ids = new long?[n];
        var ratings = new double?[n];
        var labels = new string?[n];
        var texts = new string?[n];
        for (var i = 0; i < n; i++)
        {
            if (i > 50 && i % 19 == 0)
            {
                var j = random.Next(i);
                (ids[i], ratings[i], labels[i], texts[i]) = (ids[j], ratings[j], labels[j], texts[j]);
                continue;
            }

            ids[i] = i;
            ratings[i] = i % 17 == 0 ? null : i % 401 == 0 ? 4500 : Math.Round(1 + (random.NextDouble() * 4), 1);
            labels[i] = (i % 29) switch
            {
                0 => "Positive",
                1 => "positive ",
                2 => null,
                _ => random.Next(3) switch { 0 => "positive", 1 => "negative", _ => "neutral" },
            };
            var text = Text(random, 60 + random.Next(120));
            texts[i] = (i % 53) switch
            {
                0 => "N/A",
                1 => "  " + text,
                2 => text.Replace("e", "\u00C3\u00A9", StringComparison.Ordinal),
                _ => text,
            };
        }

        var columns = new Column[] { new Column<long?>("review_id"), new Column<double?>("rating"), new Column<string?>("label"), new Column<string?>("text") };
        using var writer = new ParquetFileWriter(path, columns);
        using var rowGroup = writer.AppendRowGroup();
        using (var w = rowGroup.NextColumn().LogicalWriter<long?>())
        {
            w.WriteBatch(ids);
        }

        using (var w = rowGroup.NextColumn().LogicalWriter<double?>())
        {
            w.WriteBatch(ratings);
        }

        using (var w = rowGroup.NextColumn().LogicalWriter<string?>())
        {
            w.WriteBatch(labels);
        }

        using (var w = rowGroup.NextColumn().LogicalWriter<string?>())
        {
            w.WriteBatch(texts);
        }

        writer.Close();
    }

    // Words of random letters: snappy finds few repeats in them, so the file comes out at about the 1 GB
    // (a 36-word vocabulary compressed the same rows to 388 MB and under-weighted decompression in the floor).
    private static string RandomWordsText(Random random, int length)
    {
        return string.Create(length, random, static (span, random) =>
        {
            var wordLeft = 2 + random.Next(9);
            for (var i = 0; i < span.Length; i++)
            {
                if (wordLeft == 0 && i < span.Length - 1)
                {
                    span[i] = ' ';
                    wordLeft = 2 + random.Next(9);
                    continue;
                }

                span[i] = (char)('a' + random.Next(26));
                wordLeft--;
            }
        });
    }

    private static string Text(Random random, int length)
    {
        var sb = new System.Text.StringBuilder(length + 16);
        while (sb.Length < length)
        {
            if (sb.Length > 0)
            {
                sb.Append(' ');
            }

            sb.Append(Words[random.Next(Words.Length)]);
        }

        return sb.ToString(0, length).TrimEnd();
    }

    /// <summary>
    /// Texts of about 200 characters drawn from a 20,000-word vocabulary, with 2 % of rows planted as near copies of
    /// an earlier row (one word replaced near the end: Jaccard of the 5-gram sets about 0.9). Returns the planted
    /// (copy, original) pairs.
    /// </summary>
    public static List<(long Row, long Original)> WriteNearDuplicateTexts(string path, int rows, int seed)
    {
        var random = new Random(seed);
        var vocabulary = Enumerable.Range(0, 20_000).Select(_ => new string(Enumerable.Range(0, random.Next(3, 9)).Select(_ => (char)('a' + random.Next(26))).ToArray())).ToArray();
        var texts = new string[rows];
        var planted = new List<(long, long)>();
        for (var r = 0; r < rows; r++)
        {
            if (r > 100 && random.NextDouble() < 0.02)
            {
                var original = random.Next(r);
                var words = texts[original].Split(' ');
                words[^2] = vocabulary[random.Next(vocabulary.Length)];
                texts[r] = string.Join(' ', words);
                planted.Add((r, original));
                continue;
            }

            var sb = new System.Text.StringBuilder();
            while (sb.Length < 200)
            {
                sb.Append(vocabulary[random.Next(vocabulary.Length)]).Append(' ');
            }

            texts[r] = sb.ToString().TrimEnd();
        }

        var columns = new Column[] { new Column<long>("id"), new Column<string>("text") };
        using var properties = new WriterPropertiesBuilder().Compression(Compression.Snappy).Build();
        using var writer = new ParquetFileWriter(path, columns, properties);
        for (var start = 0; start < rows; start += 250_000)
        {
            var n = Math.Min(250_000, rows - start);
            using var group = writer.AppendRowGroup();
            using (var w = group.NextColumn().LogicalWriter<long>())
            {
                w.WriteBatch(Enumerable.Range(start, n).Select(i => (long)i).ToArray());
            }

            using (var w = group.NextColumn().LogicalWriter<string>())
            {
                w.WriteBatch(texts.AsSpan(start, n));
            }
        }

        writer.Close();
        return planted;
    }
}
