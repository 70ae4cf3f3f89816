using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace Alimentar.Bench;

/// <summary>
/// Pushes a generated binary file to a local `alimentar hub serve`, with `alimentar hub push` and with the official
/// @huggingface/hub client (each to a fresh server), and reports peak memory, hashing rate and throughput.
/// </summary>
public static class PushBenchmark
{
    internal const string Token = "hf_bench_token_0123456789";

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

        var repoRoot = FindRepoRoot();
        var work = Path.Combine(Path.GetTempPath(), "alimentar-push-bench");
        Directory.CreateDirectory(work);
        var file = Path.Combine(work, $"blob-{sizeMb}mb.bin");
        if (!File.Exists(file) || new FileInfo(file).Length != (long)sizeMb * 1024 * 1024)
        {
            Console.WriteLine($"generating {sizeMb} MiB -> {file}");
            Generate(file, (long)sizeMb * 1024 * 1024);
        }

        var size = new FileInfo(file).Length;
        using (var warm = File.OpenRead(file))
        {
            warm.CopyTo(Stream.Null);
        }

        var hashWatch = Stopwatch.StartNew();
        using (var stream = File.OpenRead(file))
        {
            SHA256.HashData(stream);
        }

        var hashSeconds = hashWatch.Elapsed.TotalSeconds;
        var cli = CliBuild.Published();

        var (ours, oursPeak) = WithServer(cli, work, "ours", url =>
            RunMeasured(cli, ["hub", "push", file, "bench/ours", "--path-in-repo", "blob.bin", "--quiet", "--json", "--endpoint", url, "--token", Token]));
        var (theirs, theirsPeak) = WithServer(cli, work, "js", url =>
            RunMeasured("node", [Path.Combine(repoRoot, "conformance", "push-file.mjs"), "bench/js", "blob.bin", file], new Dictionary<string, string> { ["HF_ENDPOINT"] = url, ["HF_TOKEN"] = Token }, Path.Combine(repoRoot, "conformance")));

        Console.WriteLine();
        Console.WriteLine($"file: {size / 1e9:0.00} GB ({sizeMb} MiB), server: alimentar hub serve on loopback (multipart above 100 MiB, 64 MiB parts)");
        Console.WriteLine($"SHA-256 hashing rate (one core)       : {size / hashSeconds / 1e9:0.00} GB/s");
        Console.WriteLine($"alimentar hub push                    : {ours:0.00} s  ({size / ours / 1e6:0} MB/s), peak RSS {oursPeak / 1e6:0} MB (target < 200 MB)");
        Console.WriteLine($"@huggingface/hub uploadFiles (node)   : {theirs:0.00} s  ({size / theirs / 1e6:0} MB/s), peak RSS {theirsPeak / 1e6:0} MB");
        Console.WriteLine($"ratio ours/official = {ours / theirs:0.00} (target <= 1.0)");
        return 0;
    }

    internal static (double Seconds, long Peak) WithServer(string cli, string work, string name, Func<string, (double, long)> body)
    {
        var root = Path.Combine(work, "hub-" + name);
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }

        var start = new ProcessStartInfo(cli) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "hub", "serve", "--root", root, "--port", "0", "--token", Token })
        {
            start.ArgumentList.Add(a);
        }

        using var server = Process.Start(start)!;
        try
        {
            var line = server.StandardOutput.ReadLine() ?? throw new InvalidOperationException(server.StandardError.ReadToEnd());
            var url = line.Split(' ').First(w => w.StartsWith("http://", StringComparison.Ordinal));
            return body(url);
        }
        finally
        {
            server.Kill();
            server.WaitForExit();
            Directory.Delete(root, recursive: true);
        }
    }

    internal static (double Seconds, long Peak) RunMeasured(string exe, string[] args, Dictionary<string, string>? env = null, string? cwd = null)
    {
        var run = MeasuredProcess.Run(exe, args, env, cwd);
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"{exe} failed ({run.ExitCode}): {run.Stderr} {run.Stdout}");
        }

        return (run.Seconds, run.PeakRss);
    }

    internal static void Generate(string path, long size)
    {
        var buffer = new byte[1 << 20];
        var state = 0x9E3779B97F4A7C15UL;
        using var output = new FileStream(path + ".tmp", FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        for (long written = 0; written < size; written += buffer.Length)
        {
            var words = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(buffer.AsSpan());
            for (var i = 0; i < words.Length; i++)
            {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                words[i] = state;
            }

            output.Write(buffer, 0, (int)Math.Min(buffer.Length, size - written));
        }

        output.Close();
        File.Move(path + ".tmp", path, overwrite: true);
    }

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Alimentar.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("run from inside the repository");
    }
}
