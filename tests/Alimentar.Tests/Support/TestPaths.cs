namespace Alimentar.Tests.Support;

/// <summary>Locates the repository and the read-only shared folder beside it.</summary>
public static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Shared => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

    public static string ParquetTesting => Path.Combine(Shared, "testdata");

    public static string Samples => Path.Combine(RepoRoot, "samples");

    public static string NewTempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "alimentar-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Alimentar.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
