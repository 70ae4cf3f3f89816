using System.Globalization;
using Alimentar.Fuzz;

// fuzz [TARGET|all] [--seconds N] [--seed N] [--inputs N]   mutate and run each target for N seconds (or N inputs)
// fuzz replay DIR                                  run every saved input in DIR/{target}/ once (regressions)
// --coverage                                       guided by edge coverage (SharpFuzz-instrumented copy, see Coverage)
Coverage.EnableIfInstrumented();
var root = Coverage.Root ?? FindRoot();
if (args.Contains("--coverage") && !Coverage.Active)
{
    return Coverage.Relaunch(args, root);
}

var targets = FuzzTargets.All(root);
var findings = Path.Combine(root, "fuzz", "findings");
var runner = new FuzzRunner(findings, TimeSpan.FromSeconds(30));
if (args.Length > 1 && args[0] == "replay")
{
    var failures = 0;
    foreach (var target in targets)
    {
        var folder = Path.Combine(args[1], target.Name);
        foreach (var file in Directory.Exists(folder) ? Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal).ToArray() : [])
        {
            if (runner.RunOne(target, File.ReadAllBytes(file)) is { } outcome && outcome != "expected")
            {
                Console.WriteLine($"FAIL {target.Name} {Path.GetFileName(file)}: {outcome}");
                failures++;
            }
        }
    }

    Console.WriteLine(failures == 0 ? "replay: every saved input passes" : $"replay: {failures} failure(s)");
    return failures == 0 ? 0 : 1;
}

var name = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "all";
var seconds = Option("--seconds", 10);
var seed = Option("--seed", Environment.TickCount);
var maxInputs = Option("--inputs", int.MaxValue);
var chosen = name == "all" ? targets : targets.Where(t => t.Name == name).ToList();
if (chosen.Count == 0)
{
    Console.Error.WriteLine($"error: no fuzz target '{name}' (targets: {string.Join(", ", targets.Select(t => t.Name))}, all)");
    return 2;
}

Console.WriteLine($"fuzzing {string.Join(", ", chosen.Select(t => t.Name))} for {seconds} s each, seed {seed}{(Coverage.Active ? ", guided by coverage" : string.Empty)}");
// Every target runs even after one fails: a run finds what it can, and exits 1 if anything failed.
var failed = 0;
foreach (var target in chosen)
{
    var outcome = runner.Run(target, TimeSpan.FromSeconds(seconds), seed, maxInputs);
    var coverage = Coverage.Active ? $", {outcome.Edges:N0} edges, corpus {outcome.Corpus:N0}" : string.Empty;
    Console.WriteLine($"{outcome.Target}: {outcome.Inputs:N0} inputs, {outcome.ExpectedErrors:N0} refused with a user-facing error{coverage}{(outcome.Failure is null ? string.Empty : $", FAILURE {outcome.Failure}")}");
    failed += outcome.Failure is null ? 0 : 1;
}

return failed == 0 ? 0 : 1;

int Option(string option, int fallback)
{
    var i = Array.IndexOf(args, option);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Alimentar.sln")))
        {
            return dir.FullName;
        }
    }

    throw new InvalidOperationException("run from inside the repository");
}
