using System.Diagnostics;

namespace Alimentar.Tests.Support;

/// <summary>
/// Runs the CLI as a user would: the native executable named by ALIMENTAR_CLI (test.sh publishes it, as users
/// install it), or else the JIT-compiled alimentar.dll built next to the tests.
/// </summary>
public static class CliRunner
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Run(params string[] args) => Run(null, args);

    /// <summary>How to start the CLI with these arguments (output redirected).</summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> args)
    {
        var native = Environment.GetEnvironmentVariable("ALIMENTAR_CLI");
        var start = new ProcessStartInfo(string.IsNullOrEmpty(native) ? "dotnet" : native) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (string.IsNullOrEmpty(native))
        {
            start.ArgumentList.Add("exec");
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "alimentar.dll"));
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }

    public static Result Run(IDictionary<string, string>? environment, params string[] args) => Run(environment, null, args);

    /// <summary>Runs the CLI with <paramref name="stdin"/> (bytes) as its standard input.</summary>
    public static Result RunWithInput(byte[] stdin, params string[] args) => Run(null, stdin, args);

    private static Result Run(IDictionary<string, string>? environment, byte[]? stdin, string[] args)
    {
        var start = StartInfo(args);
        start.RedirectStandardInput = true;

        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                start.Environment[key] = value;
            }
        }

        using var process = Process.Start(start)!;
        var feeding = Task.Run(() =>
        {
            if (stdin is not null)
            {
                process.StandardInput.BaseStream.Write(stdin);
            }

            process.StandardInput.Close();
        });
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("alimentar " + string.Join(' ', args) + " did not finish");
        }

        feeding.Wait();
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }
}
