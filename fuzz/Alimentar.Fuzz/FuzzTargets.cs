using System.Text;
using System.Text.Json;
using Alimentar.Data;
using Alimentar.Data.Parquet;
using Alimentar.Hub.Cards;
using Alimentar.Hub.Commits;
using Alimentar.Hub.Http;
using Alimentar.Hub.Lfs;
using Alimentar.Quality;
using Alimentar.Quality.Profiles;
using Apache.Arrow;
using Apache.Arrow.Ipc;

namespace Alimentar.Fuzz;

/// <summary>The parsers of untrusted bytes, each with its seeds and the failures a user is meant to see.</summary>
public static class FuzzTargets
{
    public static IReadOnlyList<FuzzTarget> All(string repoRoot) =>
    [
        Scored("csv", ".csv", () => TextSeeds(repoRoot, "csv")),
        Scored("jsonl", ".jsonl", () => TextSeeds(repoRoot, "jsonl")),
        Scored("parquet", ".parquet", () => ParquetSeeds(repoRoot)),
        new FuzzTarget("commit", () => [Utf8(CommitSeed)], CommitPayloadLines, ex => ex is FormatException),
        new FuzzTarget("lfs", () => LfsSeeds.Select(Utf8).ToList(), LfsBodies, ex => ex is JsonException or FormatException),
        new FuzzTarget("card", () => [Utf8(CardSeed)], bytes => new DatasetCardValidator().Validate(Encoding.UTF8.GetString(bytes)), _ => false),
        Scored("arrow", ".arrow", ArrowSeeds),
        new FuzzTarget("profile", () => ProfileSeeds.Select(Utf8).ToList(), bytes => ProfileLoader.Parse(Encoding.UTF8.GetString(bytes), "fuzz.yaml"), ex => ex is ProfileException p && !p.Message.Contains('\n', StringComparison.Ordinal)),
        new FuzzTarget("range", () => RangeSeeds.Select(Utf8).ToList(), RangeHeader, _ => false),
        new FuzzTarget("thrift", () => ParquetSeeds(repoRoot).Select(Footer).Where(f => f.Length > 0).ToList(), ThriftFooter, ex => ex is InvalidDataException or IndexOutOfRangeException or OverflowException or ArgumentException),
        HttpTarget.Create(),
    ];

    // `quality score` on the bytes as a file: the only acceptable failure is the one-line error naming the file.
    private static FuzzTarget Scored(string name, string extension, Func<IReadOnlyList<byte[]>> seeds) => new(
        name,
        seeds,
        bytes =>
        {
            var path = Path.Combine(Path.GetTempPath(), $"alimentar-fuzz-{Environment.ProcessId}{extension}");
            File.WriteAllBytes(path, bytes);
            try
            {
                QualityChecker.Score([path]);
            }
            finally
            {
                File.Delete(path);
            }
        },
        ex => ex is DataReadException d && !d.Message.Contains('\n', StringComparison.Ordinal) && d.Message.StartsWith(Path.GetTempPath(), StringComparison.Ordinal));

    private static void CommitPayloadLines(byte[] bytes)
    {
        var number = 0;
        foreach (var line in Encoding.UTF8.GetString(bytes).Split('\n'))
        {
            if (line.Length > 0)
            {
                CommitPayload.Read(line, ++number);
            }
        }
    }

    private static void LfsBodies(byte[] bytes)
    {
        using var document = JsonDocument.Parse(bytes);
        var root = document.RootElement;
        var reads = new Action[] { () => LfsBatchRequest.Read(root), () => LfsBatchResponse.Read(root), () => LfsMultipartCompletion.Read(root), () => LfsObject.Read(root) };
        foreach (var read in reads)
        {
            try
            {
                read();
            }
            catch (FormatException)
            {
                // Refused with a reason: what the server turns into a 4xx.
            }
        }
    }

    // Any header, any file length: never an exception, and a partial answer always lies within the file.
    private static void RangeHeader(byte[] bytes)
    {
        var header = Encoding.UTF8.GetString(bytes);
        foreach (var length in new[] { 0L, 1, 10, 1 << 20, long.MaxValue })
        {
            var range = ByteRange.For(header, length);
            if (range.Answer == RangeAnswer.Partial && !(range.From >= 0 && range.From <= range.To && range.To < length))
            {
                throw new InvalidOperationException($"range {range.From}-{range.To} outside a file of {length} bytes for '{header}'");
            }
        }
    }

    private static void ThriftFooter(byte[] bytes)
    {
        var position = 0;
        var footer = ThriftCompact.ReadStruct(bytes, ref position);
        ThriftCompact.Write(footer);
    }

    private static byte[] Footer(byte[] parquet)
    {
        if (parquet.Length < 12)
        {
            return [];
        }

        var length = BitConverter.ToInt32(parquet, parquet.Length - 8);
        return length > 0 && length <= parquet.Length - 12 ? parquet.AsSpan(parquet.Length - 8 - length, length).ToArray() : [];
    }

    private static IReadOnlyList<byte[]> TextSeeds(string root, string kind)
    {
        var seeds = kind == "csv"
            ? new List<string>
            {
                "id,name,score\n1,alpha,0.5\n2,\"be,ta\",1e3\n3,,NA\n",
                "a;b;c\n1;2;3\n4;5;6\n",
                "x\ty\n\"quoted \"\"text\"\"\"\t2024-01-01\n",
                "h1,h1,H1\n1,2,3\n",
            }
            : new List<string>
            {
                "{\"id\":1,\"text\":\"hello\",\"tags\":[\"a\",\"b\"],\"meta\":{\"k\":1.5}}\n{\"id\":2,\"text\":null,\"tags\":[],\"meta\":{}}\n",
                "{\"a\":1e400,\"b\":\"\\ud800\",\"c\":[[[[1]]]]}\n",
                "[1,2,3]\n{\"a\":true}\n",
            };
        var sample = Path.Combine(root, "samples", "reviews.csv");
        if (kind == "csv" && File.Exists(sample))
        {
            seeds.Add(Encoding.UTF8.GetString(File.ReadAllBytes(sample).AsSpan(0, 16_384)));
        }

        return seeds.Select(Utf8).ToList();
    }

    private static IReadOnlyList<byte[]> ParquetSeeds(string root)
    {
        var folder = Path.Combine(root, "..", "shared", "testdata", "parquet-testing");
        var files = Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*.parquet", SearchOption.AllDirectories).Where(f => new FileInfo(f).Length <= 16_384).Order(StringComparer.Ordinal).ToList()
            : [];
        return files.Count > 0 ? files.Select(File.ReadAllBytes).ToList() : throw new InvalidOperationException($"no Parquet seeds under {folder}");
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    // Arrow IPC files written by Apache.Arrow: several batches, nulls, text, a nested list, a dictionary-free schema.
    private static IReadOnlyList<byte[]> ArrowSeeds()
    {
        var seeds = new List<byte[]>();
        foreach (var batches in new[] { 1, 3 })
        {
            using var stream = new MemoryStream();
            RecordBatch Batch(int b)
            {
                var ids = new Int64Array.Builder().AppendRange([b, b + 1, b + 2]).Build();
                var names = new StringArray.Builder().Append("a").AppendNull().Append("b\u00e9").Build();
                var scores = new DoubleArray.Builder().Append(0.5).Append(double.NaN).AppendNull().Build();
                var lists = new ListArray.Builder(Apache.Arrow.Types.Int32Type.Default);
                var values = (Int32Array.Builder)lists.ValueBuilder;
                for (var i = 0; i < 3; i++)
                {
                    lists.Append();
                    values.Append(i);
                }

                return new RecordBatch.Builder().Append("id", false, ids).Append("name", true, names).Append("score", true, scores).Append("tags", true, lists.Build()).Build();
            }

            var first = Batch(0);
            using (var writer = new ArrowFileWriter(stream, first.Schema, leaveOpen: true))
            {
                for (var b = 0; b < batches; b++)
                {
                    writer.WriteRecordBatch(b == 0 ? first : Batch(b * 3));
                }

                writer.WriteEnd();
            }

            seeds.Add(stream.ToArray());
        }

        return seeds;
    }

    private static readonly string[] ProfileSeeds =
    [
        """
        name: fuzz
        extends: ml-training
        description: a profile
        weights: {completeness: 0.4, uniqueness: 0.2, consistency: 0.2, schema: 0.2}
        null_tokens: ["", "NA", "null"]
        columns:
          label: [label]
          key: [id]
          nullable: [notes]
          text: [text]
          required: [id, label]
          critical: [id]
        patterns:
          - {column: id, regex: "^[0-9]+$", min_length: 1, max_length: 12}
          - {column: label, allowed: [pos, neg]}
        thresholds: {max_duplicate_rate: 0.05, near_duplicate_threshold: 0.9, max_nesting_depth: 8}
        whitespace_checks: true
        label_sanity: true
        """,
        "name: tiny\n",
    ];

    private static readonly string[] RangeSeeds = ["bytes=0-9", "bytes=5-", "bytes=-3", "bytes=0-0,2-3", "BYTES= 1-2 ", "bytes=9223372036854775807-"];

    private const string CommitSeed = """
        {"key":"header","value":{"summary":"Add data","description":"body","parentCommit":"0123456789abcdef0123456789abcdef01234567"}}
        {"key":"file","value":{"path":"data/a.csv","encoding":"base64","content":"aWQsbmFtZQ=="}}
        {"key":"lfsFile","value":{"path":"data/b.parquet","algo":"sha256","oid":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","size":12}}
        {"key":"deletedFile","value":{"path":"old.txt"}}
        {"key":"deletedFolder","value":{"path":"tmp/"}}
        """;

    private static readonly string[] LfsSeeds =
    [
        """{"operation":"upload","transfers":["basic","multipart"],"hash_algo":"sha256","ref":{"name":"main"},"objects":[{"oid":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","size":12}]}""",
        """{"transfer":"basic","objects":[{"oid":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","size":25,"authenticated":true,"actions":{"upload":{"href":"http://h/c","header":{"chunk_size":"10","00001":"http://p/1"}},"verify":{"href":"http://h/v","header":{}}}},{"oid":"b","size":1,"error":{"code":422,"message":"no"}}]}""",
        """{"oid":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","parts":[{"partNumber":1,"etag":"\"e\""}]}""",
    ];

    private const string CardSeed = """
        ---
        license: mit
        task_categories:
        - text-classification
        language:
        - en
        size_categories:
        - 1K<n<10K
        dataset_info:
          features:
          - name: text
            dtype: string
          splits:
          - name: train
            num_examples: 10
        configs:
        - config_name: default
          data_files:
          - split: train
            path: data/train-*
        ---
        # Card
        """;
}
