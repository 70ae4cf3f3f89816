using System.Diagnostics;

namespace Alimentar.Bench;

/// <summary>
/// The CLI as users get it: published (Release, ahead-of-time compiled to a native executable) into artifacts/cli,
/// as `dotnet tool install` installs it on linux-x64. Published once per bench run.
/// </summary>
public static class CliBuild
{
    private static readonly Lazy<string> Executable = new(Publish);

    /// <summary>The native executable's path.</summary>
    public static string Published() => Executable.Value;

    private static string Publish()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Alimentar.sln")))
        {
            dir = dir.Parent;
        }

        if (dir is null)
        {
            throw new InvalidOperationException("run the bench from the repository (Alimentar.sln not found above " + AppContext.BaseDirectory + ")");
        }

        var output = Path.Combine(dir.FullName, "artifacts", "cli");
        var start = new ProcessStartInfo("dotnet", ["publish", Path.Combine(dir.FullName, "src", "Alimentar.Cli"), "-c", "Release", "-o", output, "--nologo", "-v", "q"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        Console.WriteLine("publishing the CLI (Release, native AOT) -> artifacts/cli");
        using var process = Process.Start(start)!;
        var log = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException("dotnet publish failed: " + log);
        }

        return Path.Combine(output, OperatingSystem.IsWindows() ? "alimentar.exe" : "alimentar");
    }

    /// <summary>Stops MSBuild nodes and the compiler server left running by the publish.</summary>
    public static void ShutDownBuildServers()
    {
        using var process = Process.Start(new ProcessStartInfo("dotnet", ["build-server", "shutdown"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
    }
}
