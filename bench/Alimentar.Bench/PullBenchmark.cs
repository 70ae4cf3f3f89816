using System.Globalization;

namespace Alimentar.Bench;

/// <summary>
/// `alimentar hub pull` from a local `alimentar hub serve`, against the official clients in the same run: the JS
/// client's `downloadFile` (streamed to disk, 8 at a time) and the Python client's `snapshot_download` (8 workers),
/// for one 2 GiB file and for a folder of 200 small files. Target: ours at least as fast as the faster of the two,
/// peak memory under 200 MB.
/// </summary>
public static class PullBenchmark
{
    public static int Run(string[] args)
    {
        var sizeMb = 2048;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--size-mb")
            {
                sizeMb = int.Parse(args[++i], CultureInfo.InvariantCulture);
            }
        }

        var repoRoot = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", ".."));
        while (!File.Exists(Path.Combine(repoRoot, "Alimentar.sln")))
        {
            repoRoot = Path.GetDirectoryName(repoRoot) ?? throw new InvalidOperationException("run the bench from the repository");
        }

        var work = Path.Combine(Path.GetTempPath(), $"alimentar-pull-bench-{Environment.ProcessId}");
        var source = Path.Combine(work, "source");
        Directory.CreateDirectory(Path.Combine(source, "small"));
        Console.WriteLine($"generating {sizeMb} MiB and 200 files of 50 kB");
        PushBenchmark.Generate(Path.Combine(source, "big.bin"), (long)sizeMb * 1024 * 1024);
        var random = new Random(5);
        for (var i = 0; i < 200; i++)
        {
            var bytes = new byte[50_000];
            random.NextBytes(bytes);
            File.WriteAllBytes(Path.Combine(source, "small", $"part-{i:D3}.bin"), bytes);
        }

        var cli = CliBuild.Published();
        CliBuild.ShutDownBuildServers();
        var python = new Dictionary<string, string>
        {
            ["PYTHONPATH"] = Path.Combine(repoRoot, "..", "shared", "clients", "huggingface_hub", "src"),
            ["PYTHONDONTWRITEBYTECODE"] = "1",
            ["HF_HUB_DISABLE_XET"] = "1",
            ["HF_HUB_DISABLE_TELEMETRY"] = "1",
            ["HF_HUB_DISABLE_PROGRESS_BARS"] = "1",
            ["HF_HOME"] = Path.Combine(work, "hf-home"),
        };
        var results = new List<string>();
        try
        {
            PushBenchmark.WithServer(cli, work, "pull", url =>
            {
                var env = new Dictionary<string, string>(python) { ["HF_ENDPOINT"] = url, ["HF_TOKEN"] = PushBenchmark.Token };
                PushBenchmark.RunMeasured(cli, ["hub", "push", source, "bench/pull", "--quiet", "--skip-quality-gate", "--endpoint", url, "--token", PushBenchmark.Token]);
                foreach (var (label, pattern, prefix, count) in new[] { ($"one {sizeMb} MiB file", "big.bin", "big.bin", 1), ("200 files of 50 kB", "small/*", "small/", 200) })
                {
                    var ours = Median(run => Checked(PushBenchmark.RunMeasured(cli, ["hub", "pull", "bench/pull", "--include", pattern, "--local-dir", Path.Combine(work, $"ours-{run}"), "--quiet", "--endpoint", url, "--token", PushBenchmark.Token]), Path.Combine(work, $"ours-{run}"), count), work, "ours");
                    var js = Median(run => Checked(PushBenchmark.RunMeasured("node", [Path.Combine(repoRoot, "conformance", "download-folder.mjs"), "bench/pull", Path.Combine(work, $"js-{run}"), prefix], env, Path.Combine(repoRoot, "conformance")), Path.Combine(work, $"js-{run}"), count), work, "js");
                    var py = Median(run => Checked(PushBenchmark.RunMeasured("/usr/bin/python3", [Path.Combine(repoRoot, "conformance", "python", "snapshot.py"), "bench/pull", Path.Combine(work, $"py-{run}"), pattern], env), Path.Combine(work, $"py-{run}"), count), work, "py");
                    var best = Math.Min(js.Seconds, py.Seconds);
                    results.Add($"{label,-22}: ours {ours.Seconds:0.00} s ({ours.Peak / 1e6:0} MB), JS downloadFile {js.Seconds:0.00} s ({js.Peak / 1e6:0} MB), Python snapshot_download {py.Seconds:0.00} s ({py.Peak / 1e6:0} MB); ours / faster = {ours.Seconds / best:0.00} (target <= 1.0), peak < 200 MB: {ours.Peak < 200_000_000}");
                }

                return (0, 0);
            });
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }

        Console.WriteLine();
        Console.WriteLine("server: alimentar hub serve on loopback; medians of 3 runs, each into a fresh folder");
        results.ForEach(Console.WriteLine);
        return 0;
    }

    // Every contender must have written the files, with the source's sizes, for its time to count.
    private static (double Seconds, long Peak) Checked((double Seconds, long Peak) run, string folder, int count)
    {
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(folder, f).StartsWith(".cache", StringComparison.Ordinal))
            .ToList();
        if (files.Count != count)
        {
            throw new InvalidOperationException($"{folder}: {files.Count} files written, {count} expected");
        }

        return run;
    }

    private static (double Seconds, long Peak) Median(Func<int, (double Seconds, long Peak)> run, string work, string name)
    {
        var runs = new List<(double Seconds, long Peak)>();
        for (var i = 0; i < 3; i++)
        {
            runs.Add(run(i));
            foreach (var dir in Directory.EnumerateDirectories(work, $"{name}-*"))
            {
                Directory.Delete(dir, recursive: true);
            }
        }

        return runs.OrderBy(r => r.Seconds).ElementAt(1);
    }
}
