using System.Globalization;
using System.Text.Json;
using ParquetSharp;

namespace Alimentar.Bench;

/// <summary>
/// `alimentar augment --balance-classes --strategy smote` end to end (read, balance, write Parquet) on a generated
/// 1,000,000-row table (10 numeric features, 2 categorical columns, a 95:5 label), against imbalanced-learn's SMOTENC
/// on the same data already in memory, in the same run. Installs Debian's python3-imblearn when it is missing.
/// </summary>
public static class AugmentBenchmark
{
    private const int Features = 10;

    // Debian's interpreter, where apt puts python3-imblearn (a python3 earlier on PATH, pyenv's say, would not see it).
    private const string Python = "/usr/bin/python3";

    public static int Run(string[] args)
    {
        var rows = 1_000_000;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--rows")
            {
                rows = int.Parse(args[++i], CultureInfo.InvariantCulture);
            }
        }

        EnsureImbalancedLearn();
        var cli = CliBuild.Published();
        CliBuild.ShutDownBuildServers();
        var work = Path.Combine(Path.GetTempPath(), $"alimentar-augment-bench-{Environment.ProcessId}");
        Directory.CreateDirectory(work);
        try
        {
            var parquet = Path.Combine(work, "train.parquet");
            var raw = Path.Combine(work, "train.bin");
            Generate(parquet, raw, rows);
            Console.WriteLine($"table: {rows:N0} rows, {Features} numeric features, 2 categorical columns, label 95:5 ({new FileInfo(parquet).Length / 1e6:0} MB Parquet)");

            var output = Path.Combine(work, "augmented.parquet");
            var ours = MeasuredProcess.Run(cli, ["augment", parquet, "--output", output, "--balance-classes", "--strategy", "smote", "--label-column", "label", "--json", "--quiet"]);
            if (ours.ExitCode != 0)
            {
                throw new InvalidOperationException($"augment failed ({ours.ExitCode}): {ours.Stderr}");
            }

            using var json = JsonDocument.Parse(ours.Stdout);
            var generated = json.RootElement.GetProperty("rowsGenerated").GetInt64();
            var script = Path.Combine(work, "smotenc.py");
            File.WriteAllText(script, PythonScript);
            var python = MeasuredProcess.Run(Python, [script, raw, rows.ToString(CultureInfo.InvariantCulture), Features.ToString(CultureInfo.InvariantCulture)]);
            if (python.ExitCode != 0)
            {
                throw new InvalidOperationException($"imbalanced-learn failed ({python.ExitCode}): {python.Stderr}");
            }

            var lines = python.Stdout.Trim().Split('\n');
            var fit = double.Parse(lines[^2], CultureInfo.InvariantCulture);
            var theirs = long.Parse(lines[^1], CultureInfo.InvariantCulture);
            Console.WriteLine($"(ours) alimentar augment --balance-classes --strategy smote, end to end : {ours.Seconds:0.00} s, peak RSS {ours.PeakRss / 1e6:0} MB, {generated:N0} rows generated");
            Console.WriteLine($"(imblearn) SMOTENC.fit_resample, data already in memory           : {fit:0.00} s, process peak RSS {python.PeakRss / 1e6:0} MB, {theirs:N0} rows generated");
            Console.WriteLine($"ours/imblearn = {ours.Seconds / fit:0.00} (target <= 1.0)");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }

        return 0;
    }

    private static void EnsureImbalancedLearn()
    {
        if (MeasuredProcess.Run(Python, ["-c", "import imblearn, sklearn, numpy"]).ExitCode == 0)
        {
            return;
        }

        Console.WriteLine("installing Debian's python3-imblearn and python3-sklearn");
        var install = MeasuredProcess.Run("sh", ["-c", "(apt-get update -qq || sudo apt-get update -qq) && (apt-get install -y -qq python3-imblearn python3-sklearn python3-numpy || sudo apt-get install -y -qq python3-imblearn python3-sklearn python3-numpy)"]);
        if (install.ExitCode != 0)
        {
            throw new InvalidOperationException("could not install python3-imblearn: " + install.Stderr.Split('\n').LastOrDefault(l => l.Length > 0));
        }
    }

    /// <summary>The same table as Parquet (for us) and as raw little-endian arrays (for numpy): features, categorical codes, labels.</summary>
    private static void Generate(string parquet, string raw, int rows)
    {
        var random = new Random(20261204);
        var features = new double[Features][];
        for (var f = 0; f < Features; f++)
        {
            features[f] = new double[rows];
        }

        var colour = new string[rows];
        var size = new string[rows];
        var colourCodes = new double[rows];
        var sizeCodes = new double[rows];
        var labels = new string[rows];
        var labelCodes = new double[rows];
        string[] colours = ["red", "green", "blue", "black", "white"];
        string[] sizes = ["xs", "s", "m", "l", "xl", "xxl", "3xl", "4xl"];
        for (var r = 0; r < rows; r++)
        {
            var positive = random.NextDouble() < 0.05;
            for (var f = 0; f < Features; f++)
            {
                var u1 = 1.0 - random.NextDouble();
                var gaussian = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * random.NextDouble());
                features[f][r] = Math.Round((positive ? 1.0 + (0.1 * f) : 0) + gaussian, 6);
            }

            var c = random.Next(colours.Length);
            var s = random.Next(sizes.Length);
            (colour[r], colourCodes[r]) = (colours[c], c);
            (size[r], sizeCodes[r]) = (sizes[s], s);
            (labels[r], labelCodes[r]) = positive ? ("pos", 1) : ("neg", 0);
        }

        var columns = new List<Column>();
        for (var f = 0; f < Features; f++)
        {
            columns.Add(new Column<double>($"f{f}"));
        }

        columns.Add(new Column<string>("colour"));
        columns.Add(new Column<string>("size"));
        columns.Add(new Column<string>("label"));
        using (var properties = new WriterPropertiesBuilder().Compression(Compression.Snappy).Build())
        using (var writer = new ParquetFileWriter(parquet, columns.ToArray(), properties))
        {
            for (var start = 0; start < rows; start += 250_000)
            {
                var n = Math.Min(250_000, rows - start);
                using var group = writer.AppendRowGroup();
                for (var f = 0; f < Features; f++)
                {
                    using var w = group.NextColumn().LogicalWriter<double>();
                    w.WriteBatch(features[f].AsSpan(start, n));
                }

                foreach (var text in new[] { colour, size, labels })
                {
                    using var w = group.NextColumn().LogicalWriter<string>();
                    w.WriteBatch(text.AsSpan(start, n));
                }
            }

            writer.Close();
        }

        // Row-major float64: the ten features, then the two categorical codes; then the labels.
        using var stream = File.Create(raw);
        using var binary = new BinaryWriter(stream);
        for (var r = 0; r < rows; r++)
        {
            for (var f = 0; f < Features; f++)
            {
                binary.Write(features[f][r]);
            }

            binary.Write(colourCodes[r]);
            binary.Write(sizeCodes[r]);
        }

        foreach (var label in labelCodes)
        {
            binary.Write(label);
        }
    }

    private const string PythonScript = """
        import sys, time
        import numpy as np
        from imblearn.over_sampling import SMOTENC
        path, rows, features = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
        data = np.fromfile(path, dtype="<f8")
        width = features + 2
        X = data[: rows * width].reshape(rows, width)
        y = data[rows * width :].astype(np.int8)
        start = time.perf_counter()
        X2, y2 = SMOTENC(categorical_features=[features, features + 1], k_neighbors=5, random_state=42).fit_resample(X, y)
        print(f"{time.perf_counter() - start:.3f}")
        print(len(y2) - len(y))
        """;
}
