using System.Diagnostics;

namespace Alimentar.Bench;

/// <summary>The CLI as users get it: published (Release) into artifacts/cli, as `dotnet tool install` would.</summary>
public static class CliBuild
{
    public static string Published()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Alimentar.sln")))
        {
            dir = dir.Parent;
        }

        if (dir is null)
        {
            return Path.Combine(AppContext.BaseDirectory, "alimentar.dll");
        }

        var output = Path.Combine(dir.FullName, "artifacts", "cli");
        var start = new ProcessStartInfo("dotnet", ["publish", Path.Combine(dir.FullName, "src", "Alimentar.Cli"), "-c", "Release", "-o", output, "--nologo", "-v", "q"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        Console.WriteLine("publishing the CLI (Release) -> artifacts/cli");
        using var process = Process.Start(start)!;
        var log = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException("dotnet publish failed: " + log);
        }

        return Path.Combine(output, "alimentar.dll");
    }
}
