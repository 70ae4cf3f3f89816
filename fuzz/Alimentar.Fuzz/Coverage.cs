using System.Diagnostics;
using System.Runtime.InteropServices;
using Trace = SharpFuzz.Common.Trace;

namespace Alimentar.Fuzz;

/// <summary>
/// Coverage feedback without a native fuzzer: a copy of this program's folder has our libraries and the third-party
/// parsers they hand untrusted bytes to (Apache.Arrow, YamlDotNet) instrumented by SharpFuzz, which makes every branch
/// count into an AFL-style map of 64 KiB edges. The copy runs the fuzzer with the same arguments; an input that
/// reaches a new edge (or a new power-of-two count of one) joins the corpus that mutations start from.
/// </summary>
internal static unsafe class Coverage
{
    public const int MapSize = 1 << 16;

    private const string Variable = "ALIMENTAR_FUZZ_INSTRUMENTED";

    private static readonly string[] Libraries = ["Alimentar.Common.dll", "Alimentar.Core.dll", "Alimentar.Hub.Protocol.dll", "Alimentar.Server.dll", "Apache.Arrow.dll", "YamlDotNet.dll"];

    /// <summary>This process runs instrumented libraries, and <see cref="Map"/> receives their edge counts.</summary>
    public static bool Active { get; private set; }

    public static byte* Map => Trace.SharedMem;

    /// <summary>The repository root the launcher was started from, for the instrumented copy that runs elsewhere.</summary>
    public static string? Root => Environment.GetEnvironmentVariable("ALIMENTAR_FUZZ_ROOT");

    /// <summary>In the instrumented copy: points the instrumentation at a map (it writes through a null pointer until then).</summary>
    public static void EnableIfInstrumented()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 })
        {
            Trace.SharedMem = (byte*)NativeMemory.AllocZeroed(MapSize);
            Active = true;
        }
    }

    public static void Reset()
    {
        new Span<byte>(Trace.SharedMem, MapSize).Clear();
        Trace.PrevLocation = 0;
    }

    /// <summary>Copies this program, instruments the copy, runs it with <paramref name="args"/> and returns its exit code.</summary>
    public static int Relaunch(string[] args, string root)
    {
        var copy = Path.Combine(Path.GetTempPath(), $"alimentar-fuzz-coverage-{Environment.ProcessId}");
        try
        {
            Copy(new DirectoryInfo(AppContext.BaseDirectory), copy);
            foreach (var library in Libraries)
            {
                var types = SharpFuzz.Fuzzer.Instrument(Path.Combine(copy, library), _ => true, SharpFuzz.Options.Value).Count();
                Console.WriteLine($"instrumented {library}: {types:N0} types");
            }

            var start = new ProcessStartInfo("dotnet") { UseShellExecute = false };
            foreach (var arg in new[] { "exec", Path.Combine(copy, "Alimentar.Fuzz.dll") }.Concat(args))
            {
                start.ArgumentList.Add(arg);
            }

            start.Environment[Variable] = "1";
            start.Environment["ALIMENTAR_FUZZ_ROOT"] = root;
            using var process = Process.Start(start)!;
            process.WaitForExit();
            return process.ExitCode;
        }
        finally
        {
            try
            {
                Directory.Delete(copy, recursive: true);
            }
            catch (IOException)
            {
                // A temporary folder left behind is harmless.
            }
        }
    }

    private static void Copy(DirectoryInfo from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in from.EnumerateFiles())
        {
            file.CopyTo(Path.Combine(to, file.Name), overwrite: true);
        }

        foreach (var folder in from.EnumerateDirectories())
        {
            Copy(folder, Path.Combine(to, folder.Name));
        }
    }
}
