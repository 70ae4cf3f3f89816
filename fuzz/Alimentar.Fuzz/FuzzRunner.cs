using System.Diagnostics;
using System.Security.Cryptography;

namespace Alimentar.Fuzz;

/// <summary>
/// Runs a target on mutated inputs for a time budget. A failure (an exception that is not one of the target's
/// user-facing errors, or an input still running after the hang limit) is saved under <c>findings/</c> and stops
/// the run. The input in progress is written to <c>findings/last-{target}</c> first, so that one that kills the
/// process (a stack overflow) is on disk too.
/// </summary>
public sealed class FuzzRunner(string findings, TimeSpan hangLimit)
{
    /// <summary>Most bytes one input may have the process allocate.</summary>
    public const long MaxAllocatedBytes = 512L << 20;

    /// <param name="Edges">Edges reached, with coverage; 0 without.</param>
    /// <param name="Corpus">Inputs mutations start from: the seeds, and with coverage every input that reached something new.</param>
    public sealed record Outcome(string Target, long Inputs, long ExpectedErrors, string? Failure, int Edges = 0, int Corpus = 0);

    /// <param name="maxInputs">Stop after this many inputs too: with a fixed seed, a run then covers the same inputs on a
    /// fast machine as on the one it was checked on (a slower one covers a prefix of them).</param>
    public Outcome Run(FuzzTarget target, TimeSpan budget, int seed, long maxInputs = long.MaxValue)
    {
        Directory.CreateDirectory(findings);
        var seeds = target.Seeds();
        var corpus = seeds.ToList();
        var seen = new byte[Coverage.MapSize];
        var edges = 0;
        var random = new Random(seed);
        var mutator = new Mutator(random);
        var clock = Stopwatch.StartNew();
        long inputs = 0, expected = 0;
        var last = Path.Combine(findings, $"last-{target.Name}");
        var maxLength = Math.Max(64 * 1024, seeds.Max(s => s.Length) * 2);
        while (clock.Elapsed < budget && inputs < maxInputs)
        {
            // A few seeds as they are, then mutations of any seed: with slow targets and many seeds, a short run still mutates.
            var input = inputs < Math.Min(seeds.Count, 8) ? seeds[(int)inputs] : mutator.Mutate(corpus[random.Next(corpus.Count)], corpus, maxLength);
            File.WriteAllBytes(last, input);
            inputs++;
            var outcome = RunOne(target, input);
            if (Coverage.Active && outcome is null or "expected" && NewCoverage(seen, ref edges))
            {
                corpus.Add(input);
            }

            if (outcome is null)
            {
                continue;
            }

            if (outcome == "expected")
            {
                expected++;
                continue;
            }

            var saved = Path.Combine(findings, $"{target.Name}-{Convert.ToHexStringLower(SHA256.HashData(input))[..12]}");
            File.WriteAllBytes(saved, input);
            return new Outcome(target.Name, inputs, expected, $"{outcome} (input saved as {saved})", edges, corpus.Count);
        }

        File.Delete(last);
        return new Outcome(target.Name, inputs, expected, null, edges, corpus.Count);
    }

    // AFL's rule: an input is interesting when some edge's count reaches a power-of-two bucket no input reached before.
    private static unsafe bool NewCoverage(byte[] seen, ref int edges)
    {
        var map = Coverage.Map;
        var found = false;
        for (var i = 0; i < Coverage.MapSize; i++)
        {
            var count = map[i];
            if (count == 0)
            {
                continue;
            }

            var bucket = count switch { 1 => 1, 2 => 2, 3 => 4, <= 7 => 8, <= 15 => 16, <= 31 => 32, <= 127 => 64, _ => 128 };
            if ((seen[i] & bucket) == 0)
            {
                edges += seen[i] == 0 ? 1 : 0;
                seen[i] |= (byte)bucket;
                found = true;
            }
        }

        return found;
    }

    // The innermost frame of our own code, to say where the failure is without a whole stack trace.
    private static string Where(Exception ex) =>
        ex.StackTrace?.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Contains("Alimentar.", StringComparison.Ordinal) && !l.Contains("Alimentar.Fuzz", StringComparison.Ordinal)) ?? "(no frame of ours)";

    /// <summary>Null when the input was accepted, "expected" for a user-facing error, else what went wrong.</summary>
    public string? RunOne(FuzzTarget target, byte[] input)
    {
        Exception? thrown = null;
        if (Coverage.Active)
        {
            Coverage.Reset();
        }

        var allocatedBefore = GC.GetTotalAllocatedBytes();
        var work = new Thread(() =>
        {
            try
            {
                target.Run(input);
            }
            catch (Exception ex)
            {
                thrown = ex;
            }
        }, 64 * 1024 * 1024);
        work.IsBackground = true;
        work.Start();
        if (!work.Join(hangLimit))
        {
            return $"hang: still running after {hangLimit.TotalSeconds:0} s";
        }

        // Memory must stay bounded by the input: an input of at most a few hundred kilobytes that makes the parser
        // allocate gigabytes (a length field trusted before the bytes behind it are checked) is a finding too.
        var allocated = GC.GetTotalAllocatedBytes() - allocatedBefore;
        if (allocated > MaxAllocatedBytes)
        {
            return $"memory: {allocated / 1e6:N0} MB allocated for {input.Length:N0} bytes of input{(thrown is null ? string.Empty : $" ({thrown.GetType().Name}: {thrown.Message.Split('\n')[0]})")}";
        }

        return thrown switch
        {
            null => null,
            var ex when target.Expected(ex) => "expected",
            var ex => $"{ex.GetType().Name}: {ex.Message.Split('\n')[0]} at {Where(ex)}",
        };
    }
}
