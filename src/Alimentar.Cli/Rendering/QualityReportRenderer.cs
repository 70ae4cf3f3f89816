using System.Globalization;
using Alimentar.Quality;
using Alimentar.Quality.Profiles;
using Alimentar.Quality.Reports;
using Spectre.Console;

namespace Alimentar.Cli.Rendering;

/// <summary>The text report: the publishing guide's summary, then findings worst first, then the gate.</summary>
public static class QualityReportRenderer
{
    public static void Render(QualityReport report)
    {
        var console = AnsiConsole.Console;
        if (Console.IsOutputRedirected)
        {
            console.Profile.Width = 4096; // no wrapping in logs and pipes
        }

        var lines = ReportWriters.SummaryLines(report).ToList();
        var gradeColor = report.Grade switch { "A" => "green", "B" => "chartreuse3", "C" => "orange1", _ => "red" };
        console.MarkupLine($"[bold {gradeColor}]{Markup.Escape(lines[0])}[/]");
        foreach (var line in lines.Skip(1))
        {
            console.MarkupLine(Markup.Escape(line));
        }

        console.WriteLine();
        var files = report.Inputs.Count == 1 ? report.Inputs[0] : $"{report.Inputs.Count} files ({report.Inputs[0]}, ...)";
        console.MarkupLine(Markup.Escape($"{files}: {report.Rows:N0} rows, {report.Columns.Count:N0} columns, profile {report.Profile}"));
        RenderColumns(console, report.Columns);
        if (report.Findings.Count == 0)
        {
            console.MarkupLine("No findings.");
        }
        else
        {
            console.MarkupLine($"Findings ({report.Findings.Count}, worst first):");
            foreach (var f in report.Findings.Take(30))
            {
                var color = f.Severity switch { Severity.Critical => "red bold", Severity.High => "red", Severity.Warn => "yellow", _ => "grey" };
                var tag = f.Severity.ToString().ToUpperInvariant();
                console.MarkupLine($"  [{color}]{tag,-8}[/] {Markup.Escape(f.Message)}");
                if (f.SampleRows.Count > 0)
                {
                    console.MarkupLine(Markup.Escape($"           rows: {string.Join(", ", f.SampleRows)}"));
                }

                if (f.Examples is { Count: > 0 } examples)
                {
                    console.MarkupLine(Markup.Escape($"           values: {string.Join(", ", examples)}"));
                }

                if (f.Suggestion is not null)
                {
                    console.MarkupLine($"           fix: [cyan]{Markup.Escape(f.Suggestion)}[/]");
                }
            }

            if (report.Findings.Count > 30)
            {
                console.MarkupLine(Markup.Escape($"  ... {report.Findings.Count - 30} more (see --json or --report)"));
            }
        }

        console.WriteLine();
        if (report.Publishable)
        {
            console.MarkupLine($"[green]Gate passed[/] (grade {report.Grade} meets {report.Gate.MinGrade})");
        }
        else
        {
            console.MarkupLine($"[red bold]DO NOT PUBLISH[/]: {Markup.Escape(string.Join("; ", report.Gate.Reasons))}");
        }
    }

    private const int OverviewColumns = 20;

    // What each column holds at a glance (type, missing, distinct, range or length), as a profiler's first screen;
    // a wide table shows its first columns and says where the rest are.
    private static void RenderColumns(IAnsiConsole console, IReadOnlyList<ColumnReport> columns)
    {
        if (columns.Count == 0)
        {
            return;
        }

        var table = new Table().Border(TableBorder.Simple).AddColumns("column", "type", "missing", "distinct", "values");
        foreach (var c in columns.Take(OverviewColumns))
        {
            var missing = c.Missing == 0 ? "-" : $"{c.Missing:N0} ({Pct(1 - c.Completeness)})";
            var distinct = (c.DistinctExact ? string.Empty : "~") + c.Distinct.ToString("N0", CultureInfo.InvariantCulture);
            var values = c.Min is { } min && c.Max is { } max
                ? $"{Num(min)} .. {Num(max)}, mean {Num(c.Mean ?? 0)}"
                : c.MeanLength is { } length ? $"{c.DominantClass ?? "text"}, mean length {length:0.#}" : c.DominantClass ?? string.Empty;
            var roles = c.Roles.Count > 0 ? $" [{string.Join(", ", c.Roles)}]" : string.Empty;
            table.AddRow(Markup.Escape(Shorten(c.Name) + roles), Markup.Escape(c.Type), missing, distinct, Markup.Escape(values));
        }

        console.Write(table);
        if (columns.Count > OverviewColumns)
        {
            console.MarkupLine(Markup.Escape($"  ... {columns.Count - OverviewColumns:N0} more columns (see --json or --report)"));
        }

        console.WriteLine();
    }

    private static string Shorten(string name) => name.Length <= 40 ? name : name[..37] + "...";

    private static string Pct(double rate) => (rate * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    private static string Num(double value) => ReportWriters.Number(value);

    public static void RenderProfiles(IEnumerable<QualityProfile> profiles)
    {
        var table = new Table().AddColumns("Profile", "Weights C/U/Co/S", "Rules");
        foreach (var p in profiles)
        {
            var rules = new List<string> { p.Description };
            if (p.RequiredColumns.Count > 0)
            {
                rules.Add("required: " + string.Join(", ", p.RequiredColumns));
            }

            if (p.CriticalColumns.Count > 0)
            {
                rules.Add("critical: " + string.Join(", ", p.CriticalColumns));
            }

            if (p.KeyColumns.Count > 0)
            {
                rules.Add("key: " + string.Join(", ", p.KeyColumns));
            }

            rules.Add($"duplicates: {(p.DuplicatesCritical ? "critical" : $"warn above {p.MaxDuplicateRate:P0}")}; near-dup factor {p.NearDuplicateFactor.ToString(CultureInfo.InvariantCulture)}, threshold {p.NearDuplicateThreshold.ToString(CultureInfo.InvariantCulture)}");
            if (!p.WhitespaceChecks || p.WhitespaceOffColumns.Count > 0)
            {
                rules.Add("whitespace checks off" + (p.WhitespaceOffColumns.Count > 0 ? " for " + string.Join(", ", p.WhitespaceOffColumns) : string.Empty));
            }

            foreach (var pattern in p.Patterns)
            {
                rules.Add($"{pattern.Column}: " + (pattern.Regex is not null ? $"matches {pattern.Regex}" : $"one of {pattern.Allowed?.Count} values"));
            }

            var w = p.Weights;
            table.AddRow(Markup.Escape(p.Name), $"{w.Completeness:0.00}/{w.Uniqueness:0.00}/{w.Consistency:0.00}/{w.Schema:0.00}", Markup.Escape(string.Join("\n", rules)));
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(Markup.Escape("Custom profiles: --profile-file my-profile.yaml (see README)."));
    }
}
