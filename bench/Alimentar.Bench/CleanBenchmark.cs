using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DuckDB.NET.Data;

namespace Alimentar.Bench;

/// <summary>
/// `alimentar clean --remove-nulls --deduplicate` writing Parquet, against DuckDB doing the same work
/// (COPY (SELECT DISTINCT * ... WHERE every column IS NOT NULL) TO ... (FORMAT parquet)), in one run on the same
/// file; then near-duplicate removal on generated texts with planted near copies (rows per second per core, recall).
/// </summary>
public static class CleanBenchmark
{
    public static int Run(string[] args)
    {
        var counts = new Dictionary<string, int> { ["near-rows"] = 1_000_000 };
        var (file, cli) = BenchmarkFile.Prepare(args, counts);
        var nearRows = counts["near-rows"];

        var work = Path.Combine(Path.GetTempPath(), $"alimentar-clean-bench-{Environment.ProcessId}");
        Directory.CreateDirectory(work);
        try
        {
            Console.WriteLine($"file: {file} ({new FileInfo(file).Length / 1e6:0} MB)");
            var ours = Enumerable.Range(0, 3).Select(i => RunClean(cli, file, Path.Combine(work, $"ours-{i}.parquet"))).ToList();
            var duck = Enumerable.Range(0, 3).Select(i => DuckDbClean(file, Path.Combine(work, $"duck-{i}.parquet"))).ToList();
            var oursMedian = ours.OrderBy(r => r.Seconds).ElementAt(1);
            var duckMedian = duck.OrderBy(r => r.Seconds).ElementAt(1);
            Console.WriteLine($"(ours) alimentar clean --remove-nulls --deduplicate : {oursMedian.Seconds:0.00} s (runs {string.Join(", ", ours.Select(r => r.Seconds.ToString("0.00", CultureInfo.InvariantCulture)))}), peak RSS {ours.Max(r => r.PeakRss) / 1e6:0} MB, {oursMedian.RowsOut:N0} rows out, {new FileInfo(Path.Combine(work, "ours-0.parquet")).Length / 1e6:0} MB");
            Console.WriteLine($"(duck) DuckDB COPY (SELECT DISTINCT ... WHERE NOT NULL)  : {duckMedian.Seconds:0.00} s (runs {string.Join(", ", duck.Select(r => r.Seconds.ToString("0.00", CultureInfo.InvariantCulture)))}), {duckMedian.RowsOut:N0} rows out, {new FileInfo(Path.Combine(work, "duck-0.parquet")).Length / 1e6:0} MB");
            Console.WriteLine($"ours/duck = {oursMedian.Seconds / duckMedian.Seconds:0.00} (target <= 1.0, aim 0.5); rows out equal: {oursMedian.RowsOut == duckMedian.RowsOut}; peak RSS < 1.5 GB: {ours.Max(r => r.PeakRss) < 1_500_000_000}");
            Console.WriteLine("(ours includes scoring the input before and the output after, which DuckDB does not do)");
            AllSteps(cli, file, Path.Combine(work, "all-steps.parquet"));

            if (nearRows > 0)
            {
                NearDuplicates(cli, work, nearRows);
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }

        return 0;
    }

    /// <summary>The acceptance check that cleaning with every step does not lower the score, on this file.</summary>
    private static void AllSteps(string cli, string file, string output)
    {
        var run = MeasuredProcess.Run(cli, ["clean", file, "--output", output, "--remove-nulls", "--deduplicate", "--validate-types", "--normalize-text", "--json", "--quiet"]);
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"clean failed ({run.ExitCode}): {run.Stderr}");
        }

        using var json = JsonDocument.Parse(run.Stdout);
        var before = json.RootElement.GetProperty("before").GetProperty("score").GetDouble();
        var after = json.RootElement.GetProperty("after").GetProperty("score").GetDouble();
        Console.WriteLine($"all steps (--remove-nulls --deduplicate --validate-types --normalize-text): {run.Seconds:0.00} s, peak RSS {run.PeakRss / 1e6:0} MB, score {before.ToString("0.0", CultureInfo.InvariantCulture)} -> {after.ToString("0.0", CultureInfo.InvariantCulture)} (not lower: {after >= before})");
    }

    private static (double Seconds, long PeakRss, long RowsOut) RunClean(string cli, string file, string output)
    {
        var run = MeasuredProcess.Run(cli, ["clean", file, "--output", output, "--remove-nulls", "--deduplicate", "--json", "--quiet"]);
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"clean failed ({run.ExitCode}): {run.Stderr}");
        }

        using var json = JsonDocument.Parse(run.Stdout);
        return (run.Seconds, run.PeakRss, json.RootElement.GetProperty("rowsOut").GetInt64());
    }

    private static (double Seconds, long RowsOut) DuckDbClean(string file, string output)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        var f = file.Replace("'", "''", StringComparison.Ordinal);
        var o = output.Replace("'", "''", StringComparison.Ordinal);
        using var command = connection.CreateCommand();
        var watch = Stopwatch.StartNew();
        command.CommandText = $"""
            COPY (SELECT DISTINCT * FROM read_parquet('{f}')
                  WHERE id IS NOT NULL AND value IS NOT NULL AND NOT isnan(value) AND label IS NOT NULL AND trim(label) <> ''
                    AND text IS NOT NULL AND trim(text) <> '' AND "count" IS NOT NULL)
            TO '{o}' (FORMAT parquet);
            """;
        command.ExecuteNonQuery();
        var seconds = watch.Elapsed.TotalSeconds;
        command.CommandText = $"SELECT count(*) FROM read_parquet('{o}')";
        return (seconds, Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture));
    }

    private static void NearDuplicates(string cli, string work, int rows)
    {
        var input = Path.Combine(work, "near.parquet");
        var planted = DataGenerator.WriteNearDuplicateTexts(input, rows, seed: 7);
        var removed = Path.Combine(work, "near-removed.jsonl");
        var run = MeasuredProcess.Run(cli, ["clean", input, "--output", Path.Combine(work, "near-out.parquet"), "--near-duplicates", "--columns", "text", "--removed", removed, "--json", "--quiet"]);
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"clean --near-duplicates failed ({run.ExitCode}): {run.Stderr}");
        }

        var found = File.ReadLines(removed)
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.GetProperty("reason").GetString() == "near-duplicate")
            .Select(e => (e.GetProperty("row").GetInt64(), e.GetProperty("duplicateOf").GetInt64()))
            .ToHashSet();
        var recalled = planted.Count(p => found.Contains(p));
        var perCore = rows / run.Seconds / Environment.ProcessorCount;
        Console.WriteLine($"near duplicates: {rows:N0} texts of ~200 characters, {planted.Count:N0} planted near copies (Jaccard >= 0.8 by construction)");
        Console.WriteLine($"  clean --near-duplicates end to end: {run.Seconds:0.00} s, {perCore:N0} rows/s/core ({Environment.ProcessorCount} cores), peak RSS {run.PeakRss / 1e6:0} MB");
        Console.WriteLine($"  recall of planted pairs: {recalled:N0}/{planted.Count:N0} = {(double)recalled / planted.Count:P1}; rows removed as near copies: {found.Count:N0}");
    }
}
