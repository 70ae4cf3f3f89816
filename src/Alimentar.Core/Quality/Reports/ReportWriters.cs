using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Xml.Linq;

namespace Alimentar.Quality.Reports;

/// <summary>Serializes quality reports: JSON (the machine format), Markdown, single-file HTML, JUnit XML.</summary>
public static class ReportWriters
{
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    // Source-generated metadata: the reflection-based serializer spent more time being JIT-compiled on a cold start
    // (about 0.14 s) than a whole small dataset takes to score.
    private static readonly JsonSerializerOptions ReportJsonOptions = new(JsonOptions) { TypeInfoResolver = QualityReportJsonContext.Default };

    /// <summary>Writes the JSON report to <paramref name="output"/> as UTF-8, with no copy of it in memory (a 100,000-column report is 50 MB).</summary>
    public static void WriteJson(QualityReport report, Stream output) =>
        JsonSerializer.Serialize(output, report, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<QualityReport>)ReportJsonOptions.GetTypeInfo(typeof(QualityReport)));

    public static string ToJson(QualityReport report) =>
        JsonSerializer.Serialize(report, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<QualityReport>)ReportJsonOptions.GetTypeInfo(typeof(QualityReport)));

    public static string Dimension(DimensionScore d) =>
        d.Score is { } s ? s.ToString("0.#", CultureInfo.InvariantCulture) + "%" : "n/a";

    /// <summary>A fraction as findings and reports show it: one decimal, three below 0.1 % so a rare problem is not "0%".</summary>
    public static string Percent(double fraction) => (fraction * 100).ToString(fraction is > 0 and < 0.001 ? "0.###" : "0.#", CultureInfo.InvariantCulture) + "%";

    /// <summary>A statistic as findings and reports show it: six significant digits.</summary>
    public static string Number(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    public static string Score(double score) => score.ToString("0.0", CultureInfo.InvariantCulture) + "%";

    /// <summary>"Grade D", and why when the score alone would give a better one: a critical failure forces D.</summary>
    public static string Grade(QualityReport report) =>
        report.CriticalFailures.Count > 0 && QualityReport.GradeFor(report.Score).ToString() != report.Grade
            ? $"Grade {report.Grade}: forced by {report.CriticalFailures.Count} critical failure{(report.CriticalFailures.Count == 1 ? string.Empty : "s")}, the score alone gives {QualityReport.GradeFor(report.Score)}"
            : $"Grade {report.Grade}";

    /// <summary>The four-line summary in the shape the publishing guide shows.</summary>
    public static IEnumerable<string> SummaryLines(QualityReport report)
    {
        yield return $"Quality Score: {Score(report.Score)} ({Grade(report)})";
        yield return $"- Completeness: {Dimension(report.Dimensions.Completeness)} ({report.Dimensions.Completeness.Summary})";
        yield return $"- Uniqueness: {Dimension(report.Dimensions.Uniqueness)} ({report.Dimensions.Uniqueness.Summary})";
        yield return $"- Consistency: {Dimension(report.Dimensions.Consistency)} ({report.Dimensions.Consistency.Summary})";
        yield return $"- Schema: {Dimension(report.Dimensions.Schema)} ({report.Dimensions.Schema.Summary})";
    }

    public static string ToMarkdown(QualityReport report)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Data quality report").AppendLine();
        sb.AppendLine($"- Inputs: {string.Join(", ", report.Inputs.Select(i => $"`{i}`"))}");
        sb.AppendLine($"- Profile: `{report.Profile}`; rows: {report.Rows}");
        sb.AppendLine($"- **Quality Score: {Score(report.Score)} ({Grade(report)})**; gate {(report.Publishable ? "passed" : "FAILED: " + string.Join("; ", report.Gate.Reasons))}").AppendLine();
        sb.AppendLine("| Dimension | Score | Weight | Summary |").AppendLine("|---|---|---|---|");
        foreach (var (name, d) in Dimensions(report))
        {
            sb.AppendLine($"| {name} | {Dimension(d)} | {d.Weight.ToString("0.##", CultureInfo.InvariantCulture)} | {Escape(d.Summary)} |");
        }

        sb.AppendLine().AppendLine("## Findings").AppendLine();
        if (report.Findings.Count == 0)
        {
            sb.AppendLine("No findings.");
        }
        else
        {
            sb.AppendLine("| Severity | Finding | Count | Sample rows and values | Fix |").AppendLine("|---|---|---|---|---|");
            foreach (var f in report.Findings.Take(200))
            {
                sb.AppendLine($"| {f.Severity.ToString().ToLowerInvariant()} | {Escape(f.Message)} | {f.Count} | {Escape(Evidence(f))} | {(f.Suggestion is null ? string.Empty : $"`{Escape(f.Suggestion)}`")} |");
            }
        }

        sb.AppendLine().AppendLine("## Columns").AppendLine();
        sb.AppendLine("| Column | Type | Missing | Distinct | Mean |").AppendLine("|---|---|---|---|---|");
        foreach (var c in report.Columns.Take(500))
        {
            sb.AppendLine($"| {Escape(c.Name)} | {Escape(c.Type)} | {c.Missing} | {(c.DistinctExact ? string.Empty : "~")}{c.Distinct} | {(c.Mean is { } m ? m.ToString("G6", CultureInfo.InvariantCulture) : string.Empty)} |");
        }

        return sb.ToString();
    }

    /// <summary>One self-contained HTML page: score, dimension bars, findings, duplicates, a card per column with a chart.</summary>
    public static string ToHtml(QualityReport report) => HtmlReport.Render(report);

    /// <summary>JUnit XML: one test case per dimension and per finding of warn or worse, plus the gate.</summary>
    public static string ToJUnit(QualityReport report)
    {
        var cases = new List<XElement>();
        foreach (var (name, d) in Dimensions(report))
        {
            cases.Add(new XElement("testcase", new XAttribute("classname", "quality.dimensions"), new XAttribute("name", $"{name} {Dimension(d)}"), d.Score is null ? new XElement("skipped", new XAttribute("message", d.Summary)) : null));
        }

        foreach (var f in report.Findings.Where(f => f.Severity != Severity.Info))
        {
            cases.Add(new XElement("testcase", new XAttribute("classname", $"quality.{f.Dimension}"), new XAttribute("name", f.Id + " " + string.Join(",", f.Columns)),
                new XElement("failure", new XAttribute("message", f.Message), new XAttribute("type", f.Severity.ToString().ToLowerInvariant()), f.Suggestion is null ? f.Message : $"{f.Message}\nFix: {f.Suggestion}\nSample rows: {Evidence(f)}")));
        }

        cases.Add(new XElement("testcase", new XAttribute("classname", "quality.gate"), new XAttribute("name", $"grade {report.Grade} (score {Score(report.Score)}) meets gate {report.Gate.MinGrade}"),
            report.Publishable ? null : new XElement("failure", new XAttribute("message", string.Join("; ", report.Gate.Reasons)), new XAttribute("type", "gate"))));
        var failures = cases.Count(c => c.Element("failure") is not null);
        var skipped = cases.Count(c => c.Element("skipped") is not null);
        var suite = new XElement("testsuite",
            new XAttribute("name", "alimentar quality " + string.Join(" ", report.Inputs)),
            new XAttribute("tests", cases.Count),
            new XAttribute("failures", failures),
            new XAttribute("errors", 0),
            new XAttribute("skipped", skipped),
            cases);
        return new XDocument(new XDeclaration("1.0", "utf-8", null), new XElement("testsuites", suite)).ToString() + "\n";
    }

    internal static IEnumerable<(string Name, DimensionScore Score)> Dimensions(QualityReport r) =>
        [("Completeness", r.Dimensions.Completeness), ("Uniqueness", r.Dimensions.Uniqueness), ("Consistency", r.Dimensions.Consistency), ("Schema", r.Dimensions.Schema)];

    /// <summary>A finding's sample rows and example values on one line: <c>1, 30, 59; values 'positive ', ' neg'</c>.</summary>
    public static string Evidence(Finding f) =>
        string.Join(", ", f.SampleRows) + (f.Examples is { Count: > 0 } values ? $"{(f.SampleRows.Count > 0 ? "; " : string.Empty)}values {string.Join(", ", values)}" : string.Empty);

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

}

[JsonSerializable(typeof(QualityReport))]
internal sealed partial class QualityReportJsonContext : JsonSerializerContext;
