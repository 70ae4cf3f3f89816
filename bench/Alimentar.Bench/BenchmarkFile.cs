using System.Globalization;

namespace Alimentar.Bench;

/// <summary>The 5,000,000-row benchmark file (generated once, then read from the page cache), the published CLI, and the options every benchmark on it takes.</summary>
public static class BenchmarkFile
{
    /// <summary>Parses <c>--rows N</c>, <c>--file PATH</c> and the integer options named in <paramref name="counts"/>; generates the file when missing; publishes the CLI and warms the file.</summary>
    public static (string File, string Cli) Prepare(string[] args, IDictionary<string, int> counts)
    {
        var rows = 5_000_000;
        var file = Path.Combine(AppContext.BaseDirectory, "bench-quality.parquet");
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--rows":
                    rows = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--file":
                    file = args[++i];
                    break;
                case var name when counts.ContainsKey(name.TrimStart('-')):
                    counts[name.TrimStart('-')] = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
            }
        }

        if (!File.Exists(file))
        {
            Console.WriteLine($"generating {rows:N0} rows -> {file}");
            DataGenerator.WriteBenchmark(file, rows);
        }

        var cli = CliBuild.Published();
        CliBuild.ShutDownBuildServers();
        using (var stream = File.OpenRead(file))
        {
            stream.CopyTo(Stream.Null);
        }

        return (file, cli);
    }
}
