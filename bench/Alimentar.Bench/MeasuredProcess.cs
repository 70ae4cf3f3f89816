using System.Diagnostics;
using System.Globalization;

namespace Alimentar.Bench;

/// <summary>Runs a program to completion while sampling its peak resident memory from /proc (Linux).</summary>
public static class MeasuredProcess
{
    public sealed record Result(double Seconds, long PeakRss, int ExitCode, string Stdout, string Stderr);

    public static Result Run(string exe, IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null, string? cwd = null)
    {
        var start = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = cwd ?? Environment.CurrentDirectory };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (k, v) in env ?? new Dictionary<string, string>())
        {
            start.Environment[k] = v;
        }

        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        long peak = 0;
        while (!process.HasExited)
        {
            peak = Math.Max(peak, HighWaterMark(process.Id));
            Thread.Sleep(20);
        }

        process.WaitForExit();
        return new Result(watch.Elapsed.TotalSeconds, peak, process.ExitCode, stdout.Result, stderr.Result);
    }

    private static long HighWaterMark(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
