using System.Globalization;

namespace Alimentar.Bench;

/// <summary>
/// `alimentar publish` of the 5,000,000-row benchmark file to a local `alimentar hub serve` (score, shard, card, push),
/// against `alimentar quality score` plus `alimentar hub push` of the same file run separately, in the same run: the
/// target is that publish costs no more than their sum (it reads the data once to score and once to write shards).
/// Every run gets a fresh server, so no upload is skipped as already stored.
/// </summary>
public static class PublishBenchmark
{
    public static int Run(string[] args)
    {
        var counts = new Dictionary<string, int> { ["runs"] = 3 };
        var (file, cli) = BenchmarkFile.Prepare(args, counts);
        var runs = counts["runs"];

        var work = Path.Combine(Path.GetTempPath(), $"alimentar-publish-bench-{Environment.ProcessId}");
        Directory.CreateDirectory(work);
        var token = PushBenchmark.Token;
        var score = new List<(double Seconds, long Peak)>();
        var push = new List<(double Seconds, long Peak)>();
        var publish = new List<(double Seconds, long Peak)>();
        try
        {
            for (var run = 0; run < runs; run++)
            {
                score.Add(PushBenchmark.RunMeasured(cli, ["quality", "score", file, "--json", "--quiet"]));
                push.Add(PushBenchmark.WithServer(cli, work, $"push-{run}", url =>
                    PushBenchmark.RunMeasured(cli, ["hub", "push", file, "bench/push", "--path-in-repo", "data/train.parquet", "--quiet", "--json", "--endpoint", url, "--token", token])));
                publish.Add(PushBenchmark.WithServer(cli, work, $"publish-{run}", url =>
                    PushBenchmark.RunMeasured(cli, ["publish", file, "bench/publish", "--quiet", "--json", "--endpoint", url, "--token", token])));
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }

        static (double Seconds, long Peak) Median(List<(double Seconds, long Peak)> runs) => runs.OrderBy(r => r.Seconds).ElementAt(runs.Count / 2);
        static string All(List<(double Seconds, long Peak)> runs) => string.Join(", ", runs.Select(r => r.Seconds.ToString("0.00", CultureInfo.InvariantCulture)));
        var (s, sPeak) = Median(score);
        var (p, pPeak) = Median(push);
        var (pub, pubPeak) = Median(publish);
        Console.WriteLine();
        Console.WriteLine($"file: {file} ({new FileInfo(file).Length / 1e6:0} MB), server: alimentar hub serve on loopback, a fresh one per run; medians of {runs} runs");
        Console.WriteLine($"(a) alimentar quality score             : {s:0.00} s (runs {All(score)}), peak RSS {sPeak / 1e6:0} MB");
        Console.WriteLine($"(b) alimentar hub push (gate + upload)  : {p:0.00} s (runs {All(push)}), peak RSS {pPeak / 1e6:0} MB");
        Console.WriteLine($"(c) alimentar publish                   : {pub:0.00} s (runs {All(publish)}), peak RSS {pubPeak / 1e6:0} MB");
        Console.WriteLine($"publish / (score + push) = {pub / (s + p):0.00} (target <= 1.0)");
        return 0;
    }
}
