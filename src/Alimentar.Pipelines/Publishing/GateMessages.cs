using System.Globalization;
using Alimentar.Hub.Publishing;
using Alimentar.Quality;

namespace Alimentar.Pipelines.Publishing;

/// <summary>The publishing guide's gate messages, written once for <c>hub push</c> and <c>publish</c>.</summary>
internal static class GateMessages
{
    public static int Threshold(Grade grade) => grade switch { Grade.A => 95, Grade.B => 85, Grade.C => 70, _ => 0 };

    public static QualityGateResult Result(string path, QualityReport report, string profile, bool overridden)
    {
        var fixes = report.Findings
            .Where(f => f.Severity != Severity.Info && f.Suggestion is not null && f.Suggestion.StartsWith("alimentar ", StringComparison.Ordinal))
            .Select(f => f.Suggestion!)
            .Distinct()
            .ToList();
        return new QualityGateResult(path, report.Score, report.Grade, report.Publishable, report.Gate.Reasons, fixes, profile, overridden && !report.Publishable);
    }

    public static string Refusal(IReadOnlyList<QualityGateResult> failed, Grade minGrade, string? checkCommand = null)
    {
        var first = failed[0];
        var lines = new List<string>
        {
            $"ERROR: Quality score {Score(first.Score)}% below {Threshold(minGrade)}% threshold ({first.Path}, Grade {first.Grade}{(first.Reasons.Count > 0 ? "; " + string.Join("; ", first.Reasons) : string.Empty)})",
            string.Empty,
            "Fix: Run alimentar clean to address issues:",
        };
        var fixes = failed.SelectMany(f => f.Fixes).Distinct().ToList();
        if (fixes.Count == 0)
        {
            fixes = ["alimentar clean --remove-nulls", "alimentar clean --deduplicate", "alimentar clean --validate-types"];
        }

        lines.AddRange(fixes.Select(f => $"  - {f}"));
        lines.Add(checkCommand ?? $"Then check: alimentar quality score {first.Path}   (or --skip-quality-gate to publish anyway)");
        return string.Join("\n", lines);
    }

    public static string SkipWarning(QualityGateResult result, Grade minGrade) =>
        $"WARNING: --skip-quality-gate: publishing {result.Path} with quality score {Score(result.Score)}% (Grade {result.Grade}) below the {Threshold(minGrade)}% threshold. Low-quality data harms everyone who trains on it.";

    public static string Score(double score) => score.ToString("0.#", CultureInfo.InvariantCulture);
}
