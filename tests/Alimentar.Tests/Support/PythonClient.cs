using System.Diagnostics;

namespace Alimentar.Tests.Support;

/// <summary>Runs a script from conformance/python with the official huggingface_hub client from ../shared/clients on Debian's Python.</summary>
public static class PythonClient
{
    public static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string script, string endpoint, string token, params string[] args) =>
        RunAsync(script, endpoint, token, new Dictionary<string, string>(), args);

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string script, string endpoint, string token, IDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(TestPaths.RepoRoot, "conformance", "python", script));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["PYTHONPATH"] = Path.Combine(TestPaths.Shared, "clients", "huggingface_hub", "src");
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        start.Environment["HF_ENDPOINT"] = endpoint;
        start.Environment["HF_TOKEN"] = token;
        start.Environment["HF_HUB_DISABLE_XET"] = "1";
        start.Environment["HF_HUB_DISABLE_TELEMETRY"] = "1";
        start.Environment["HF_HOME"] = TestPaths.NewTempDir();
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"python3 {script} did not finish in 2 minutes");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
