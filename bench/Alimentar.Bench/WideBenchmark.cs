using System.Globalization;
using System.Text;

namespace Alimentar.Bench;

/// <summary>
/// Wide tables (hostile-input issue): `quality score` and `clean` on a CSV of 100,000 columns and a JSON Lines file
/// of 50,000 keys, each against a narrow file with the same number of cells and the same values, in the same run.
/// Cost should follow the cells, not the columns squared. Target (the acceptance): a 100,000-column,
/// 1,000-row CSV scores in under 10 s and 1 GB; the other legs use <c>--rows</c> rows (8 by default).
/// </summary>
public static class WideBenchmark
{
    public static int Run(string[] args)
    {
        var columns = Option(args, "--columns", 100_000);
        var rows = Option(args, "--rows", 8);
        var targetRows = Option(args, "--target-rows", 1_000);
        var cli = CliBuild.Published();
        var work = Path.Combine(Path.GetTempPath(), $"alimentar-wide-bench-{Environment.ProcessId}");
        Directory.CreateDirectory(work);
        try
        {
            var targetCells = (long)columns * targetRows;
            var targetCsv = WriteCsv(Path.Combine(work, "target.csv"), columns, targetRows);
            var targetNarrowCsv = WriteCsv(Path.Combine(work, "target-narrow.csv"), 50, (int)(targetCells / 50));
            Console.WriteLine($"target: {targetCells:N0} cells ({columns:N0} x {targetRows:N0} vs 50 x {targetCells / 50:N0}), {new FileInfo(targetCsv).Length / 1e6:0} MB");
            var target = Median(cli, ["quality", "score", targetCsv, "--json"]);
            var targetNarrow = Median(cli, ["quality", "score", targetNarrowCsv, "--json"]);
            Report($"score CSV, {columns:N0} columns x {targetRows:N0} rows", target, "50 columns", targetNarrow);
            Console.WriteLine($"  target: under 10 s and 1 GB: {target.Seconds < 10 && target.PeakRss < 1_000_000_000}");
            File.Delete(targetCsv);
            File.Delete(targetNarrowCsv);

            var cells = (long)columns * rows;
            var narrowColumns = 50;
            var narrowRows = (int)(cells / narrowColumns);
            var wideCsv = WriteCsv(Path.Combine(work, "wide.csv"), columns, rows);
            var narrowCsv = WriteCsv(Path.Combine(work, "narrow.csv"), narrowColumns, narrowRows);
            var wideJson = WriteJsonLines(Path.Combine(work, "wide.jsonl"), columns / 2, rows);
            var narrowJson = WriteJsonLines(Path.Combine(work, "narrow.jsonl"), narrowColumns, (int)(cells / 2 / narrowColumns));
            Console.WriteLine($"cells: {cells:N0} per CSV ({columns:N0} x {rows} vs {narrowColumns} x {narrowRows:N0}), {cells / 2:N0} per JSON Lines file");

            var wide = Median(cli, ["quality", "score", wideCsv, "--json"]);
            var narrow = Median(cli, ["quality", "score", narrowCsv, "--json"]);
            Report($"score CSV, {columns:N0} columns x {rows} rows", wide, $"{narrowColumns} columns", narrow);

            var wideJ = Median(cli, ["quality", "score", wideJson, "--json"]);
            var narrowJ = Median(cli, ["quality", "score", narrowJson, "--json"]);
            Report($"score JSONL, {columns / 2:N0} keys", wideJ, $"{narrowColumns} keys", narrowJ);

            var wideClean = Median(cli, ["clean", wideCsv, "--output", Path.Combine(work, "wide.parquet"), "--deduplicate", "--quiet"]);
            var narrowClean = Median(cli, ["clean", narrowCsv, "--output", Path.Combine(work, "narrow.parquet"), "--deduplicate", "--quiet"]);
            Report($"clean --deduplicate to Parquet, {columns:N0} columns", wideClean, $"{narrowColumns} columns", narrowClean);

            var wideParquet = Median(cli, ["quality", "score", Path.Combine(work, "wide.parquet"), "--json"]);
            var narrowParquet = Median(cli, ["quality", "score", Path.Combine(work, "narrow.parquet"), "--json"]);
            Report($"score Parquet, {columns:N0} columns", wideParquet, $"{narrowColumns} columns", narrowParquet);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }

        return 0;
    }

    private static void Report(string what, MeasuredProcess.Result wide, string baseline, MeasuredProcess.Result narrow) =>
        Console.WriteLine($"{what}: {wide.Seconds:0.00} s, peak RSS {wide.PeakRss / 1e6:0} MB; same cells in {baseline}: {narrow.Seconds:0.00} s, {narrow.PeakRss / 1e6:0} MB; wide/narrow time {wide.Seconds / narrow.Seconds:0.0}x, memory {(double)wide.PeakRss / narrow.PeakRss:0.0}x");

    private static MeasuredProcess.Result Median(string cli, string[] args)
    {
        var runs = Enumerable.Range(0, 3).Select(_ =>
        {
            var run = MeasuredProcess.Run(cli, args);
            return run.ExitCode is 0 or 1 ? run : throw new InvalidOperationException($"{string.Join(' ', args)} failed ({run.ExitCode}): {run.Stderr}");
        }).OrderBy(r => r.Seconds).ToList();
        return runs[1];
    }

    // Small integers, one in ten missing: the values of one-hot and count features.
    private static string WriteCsv(string path, int columns, int rows)
    {
        var random = new Random(7);
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        writer.WriteLine(string.Join(',', Enumerable.Range(0, columns).Select(c => $"f{c}")));
        var line = new StringBuilder();
        for (var r = 0; r < rows; r++)
        {
            line.Clear();
            for (var c = 0; c < columns; c++)
            {
                if (c > 0)
                {
                    line.Append(',');
                }

                var v = random.Next(11);
                if (v < 10)
                {
                    line.Append(v.ToString(CultureInfo.InvariantCulture));
                }
            }

            writer.WriteLine(line);
        }

        return path;
    }

    private static string WriteJsonLines(string path, int keys, int rows)
    {
        var random = new Random(8);
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        var line = new StringBuilder();
        for (var r = 0; r < rows; r++)
        {
            line.Clear().Append('{');
            for (var k = 0; k < keys; k++)
            {
                line.Append(k > 0 ? ",\"k" : "\"k").Append(k.ToString(CultureInfo.InvariantCulture)).Append("\":").Append(random.Next(10).ToString(CultureInfo.InvariantCulture));
            }

            writer.WriteLine(line.Append('}'));
        }

        return path;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
