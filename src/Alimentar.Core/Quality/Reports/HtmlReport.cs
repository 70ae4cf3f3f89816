using System.Globalization;
using System.Net;
using System.Text;

namespace Alimentar.Quality.Reports;

/// <summary>
/// The HTML report: one self-contained file (no scripts, no external resources) that a browser opens offline. The
/// score and the grade with its reason, dimension bars, findings with their examples and fixes, duplicates with
/// sample pairs, and a card per column with an inline-SVG histogram or top-values chart and the column's bad values.
/// Column cards stop at <see cref="MaxCards"/> (the rest are table rows) so that wide tables stay near 1 MB.
/// </summary>
internal static class HtmlReport
{
    public const int MaxCards = 200;
    public const int MaxRows = 1000;
    public const int MaxFindings = 200;

    private const string Style =
        "*{box-sizing:border-box}body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;color:#1f2328;background:#f6f8fa}" +
        "main{max-width:78em;margin:0 auto;padding:1.5em}h1{margin:0 0 .2em;font-size:1.6em}h2{margin:1.6em 0 .6em;font-size:1.25em}" +
        ".meta{color:#57606a;margin:0}.panel{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:1em 1.2em}" +
        ".summary{display:flex;flex-wrap:wrap;gap:1.5em;align-items:center}.score{font-size:2.6em;font-weight:700;line-height:1}" +
        ".badge{display:inline-block;border-radius:6px;padding:.1em .5em;color:#fff;font-weight:700}.g-A{background:#1a7f37}.g-B{background:#4d7c0f}.g-C{background:#b45309}.g-D{background:#b91c1c}" +
        ".reason{color:#57606a}.gate-pass{color:#1a7f37;font-weight:600}.gate-fail{color:#b91c1c;font-weight:600}" +
        ".dims{flex:1 1 30em;min-width:20em}.dim{display:grid;grid-template-columns:8em 1fr 4em;gap:.6em;align-items:center;margin:.25em 0}" +
        ".dim svg{width:100%;height:14px}.dim small{grid-column:2/4;color:#57606a;margin-top:-.3em}" +
        "table{border-collapse:collapse;width:100%;background:#fff}td,th{border-bottom:1px solid #d8dee4;padding:6px 8px;text-align:left;vertical-align:top}th{background:#f6f8fa}" +
        ".sev{font-weight:700;text-transform:uppercase;font-size:.8em}.critical{color:#b91c1c}.high{color:#c2410c}.warn{color:#9a6700}.info{color:#57606a}" +
        "code{background:#eff1f3;border-radius:4px;padding:1px 4px;font-size:.9em;overflow-wrap:anywhere;white-space:pre-wrap}.ex code{margin-right:.3em}.rows{color:#57606a;font-size:.9em}" +
        ".cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(19em,1fr));gap:1em}.card{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:.8em 1em}" +
        ".card h3{margin:0 0 .3em;font-size:1.05em;word-break:break-all}.type{color:#57606a;font-size:.85em}.card dl{display:grid;grid-template-columns:auto 1fr;gap:0 .8em;margin:.4em 0}" +
        ".card dt{color:#57606a}.card dd{margin:0}.chart{width:100%;height:auto;display:block;margin:.4em 0}.bad{color:#b91c1c;font-size:.9em}" +
        ".bar{fill:#0969da}.bar:hover{fill:#0550ae}.track{fill:#eaeef2}.axis{fill:#57606a;font-size:10px}.lbl{fill:#1f2328;font-size:11px}.num{fill:#57606a;font-size:11px}";

    public static string Render(QualityReport report)
    {
        var sb = new StringBuilder(64 * 1024);
        var title = report.Inputs.Count == 1 ? Path.GetFileName(report.Inputs[0]) : $"{report.Inputs.Count} files";
        sb.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">");
        sb.Append("<title>Data quality: ").Append(H(title)).Append("</title><style>").Append(Style).Append("</style></head><body><main>");
        sb.Append("<h1>Data quality report</h1><p class=\"meta\" id=\"inputs\">").Append(H(string.Join(", ", report.Inputs))).Append("</p>");
        sb.Append("<p class=\"meta\">").Append(Count(report.Rows)).Append(" rows · ").Append(Count(report.Columns.Count)).Append(" columns · profile <code>").Append(H(report.Profile)).Append("</code></p>");
        Summary(sb, report);
        Findings(sb, report);
        Duplicates(sb, report);
        Columns(sb, report);
        sb.Append("<p class=\"meta\">Written by alimentar. The JSON report (<code>--json</code>) has every value shown here.</p></main></body></html>\n");
        return sb.ToString();
    }

    private static void Summary(StringBuilder sb, QualityReport report)
    {
        sb.Append("<h2>Score</h2><section class=\"panel summary\" id=\"summary\"><div><div class=\"score\" id=\"score\">").Append(H(ReportWriters.Score(report.Score)))
          .Append(" <span class=\"badge g-").Append(H(report.Grade)).Append("\" id=\"grade\">").Append(H(report.Grade)).Append("</span></div>");
        sb.Append("<p class=\"reason\" id=\"grade-reason\">").Append(H(ReportWriters.Grade(report))).Append("</p>");
        sb.Append("<p id=\"gate\">Gate (grade ").Append(H(report.Gate.MinGrade)).Append(report.Gate.MinScore is { } min ? $", score {min.ToString("0.#", CultureInfo.InvariantCulture)}" : string.Empty).Append("): ")
          .Append(report.Publishable ? "<span class=\"gate-pass\">passed</span>" : "<span class=\"gate-fail\">failed</span>: " + H(string.Join("; ", report.Gate.Reasons))).Append("</p></div><div class=\"dims\">");
        foreach (var (name, d) in ReportWriters.Dimensions(report))
        {
            var value = d.Score ?? 0;
            var fill = d.Score is null ? "#d0d7de" : value >= 95 ? "#1a7f37" : value >= 85 ? "#4d7c0f" : value >= 70 ? "#b45309" : "#b91c1c";
            sb.Append("<div class=\"dim\" data-dimension=\"").Append(name).Append("\"><span>").Append(name).Append("</span>")
              .Append("<svg viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"").Append(name).Append(' ').Append(H(ReportWriters.Dimension(d))).Append("\">")
              .Append("<rect class=\"track\" width=\"100\" height=\"10\" rx=\"2\"/><rect width=\"").Append(F(Math.Clamp(value, 0, 100))).Append("\" height=\"10\" rx=\"2\" fill=\"").Append(fill).Append("\"/></svg>")
              .Append("<b>").Append(H(ReportWriters.Dimension(d))).Append("</b><small>").Append(H(d.Summary)).Append(" · weight ").Append(d.Weight.ToString("0.##", CultureInfo.InvariantCulture)).Append("</small></div>");
        }

        sb.Append("</div></section>");
    }

    private static void Findings(StringBuilder sb, QualityReport report)
    {
        sb.Append("<h2>Findings</h2>");
        if (report.Findings.Count == 0)
        {
            sb.Append("<p class=\"panel\" id=\"findings\">No findings.</p>");
            return;
        }

        var bySeverity = report.Findings.GroupBy(f => f.Severity).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}");
        sb.Append("<p class=\"meta\">").Append(report.Findings.Count).Append(" findings, worst first: ").Append(H(string.Join(", ", bySeverity))).Append("</p>");
        sb.Append("<table id=\"findings\"><thead><tr><th>Severity</th><th>Finding</th><th>Cells</th><th>Fix</th></tr></thead><tbody>");
        foreach (var f in report.Findings.Take(MaxFindings))
        {
            var sev = f.Severity.ToString().ToLowerInvariant();
            sb.Append("<tr class=\"finding\" data-id=\"").Append(H(f.Id)).Append("\"><td class=\"sev ").Append(sev).Append("\">").Append(sev).Append("</td><td>").Append(H(f.Message));
            Examples(sb, f.Examples);
            if (f.SampleRows.Count > 0)
            {
                sb.Append("<div class=\"rows\">rows ").Append(string.Join(", ", f.SampleRows)).Append("</div>");
            }

            sb.Append("</td><td>").Append(Count(f.Count)).Append("</td><td>").Append(f.Suggestion is null ? string.Empty : "<code>" + H(f.Suggestion) + "</code>").Append("</td></tr>");
        }

        sb.Append("</tbody></table>");
        if (report.Findings.Count > MaxFindings)
        {
            sb.Append("<p class=\"meta\">").Append(report.Findings.Count - MaxFindings).Append(" more findings in the JSON report.</p>");
        }
    }

    private static void Duplicates(StringBuilder sb, QualityReport report)
    {
        var d = report.Duplicates;
        sb.Append("<h2>Duplicates</h2><section class=\"panel\" id=\"duplicates\"><p>")
          .Append(Count(d.Exact)).Append(" exact duplicate rows (").Append(H(Pct(d.ExactRate))).Append(" of rows)");
        if (d.Normalized > d.Exact)
        {
            sb.Append("; ").Append(Count(d.Normalized - d.Exact)).Append(" more after text normalization");
        }

        sb.Append(".</p>");
        if (d.Samples.Count > 0)
        {
            sb.Append("<p>Sample pairs (row, the earlier row it repeats): ")
              .Append(string.Join(", ", d.Samples.Take(10).Select(p => $"<span class=\"pair\">{p[0]} = {p[1]}</span>"))).Append("</p>");
        }

        if (d.Near is { } near)
        {
            sb.Append("<p id=\"near-duplicates\">Near duplicates (").Append(H(near.Parameters)).Append("): ");
            if (near.Clusters == 0)
            {
                sb.Append("none found.</p>");
            }
            else
            {
                sb.Append(Count(near.RedundantCopies)).Append(" redundant copies in ").Append(Count(near.Clusters)).Append(" clusters; sample pairs ")
                  .Append(string.Join(", ", near.SamplePairs.Take(10).Select(p => $"<span class=\"pair\">{p.Row} ≈ {p.Other} ({p.Similarity.ToString("0.00", CultureInfo.InvariantCulture)})</span>"))).Append("</p>");
            }
        }

        sb.Append("</section>");
    }

    private static void Columns(StringBuilder sb, QualityReport report)
    {
        // A column's bad values: the examples of the findings that name it (grouped findings name many columns).
        var bad = new Dictionary<string, List<Finding>>(StringComparer.Ordinal);
        foreach (var f in report.Findings.Where(f => f.Examples is { Count: > 0 }))
        {
            foreach (var column in f.Columns)
            {
                if (!bad.TryGetValue(column, out var list))
                {
                    bad[column] = list = [];
                }

                list.Add(f);
            }
        }

        sb.Append("<h2>Columns</h2><div class=\"cards\" id=\"columns\">");
        foreach (var c in report.Columns.Take(MaxCards))
        {
            Card(sb, c, bad.GetValueOrDefault(c.Name));
        }

        sb.Append("</div>");
        if (report.Columns.Count <= MaxCards)
        {
            return;
        }

        sb.Append("<h2>More columns</h2><table id=\"more-columns\"><thead><tr><th>Column</th><th>Type</th><th>Missing</th><th>Distinct</th><th>Range or mean length</th></tr></thead><tbody>");
        foreach (var c in report.Columns.Skip(MaxCards).Take(MaxRows))
        {
            sb.Append("<tr><td>").Append(H(c.Name)).Append("</td><td>").Append(H(c.Type)).Append("</td><td>").Append(Count(c.Missing)).Append("</td><td>")
              .Append(c.DistinctExact ? string.Empty : "~").Append(Count(c.Distinct)).Append("</td><td>").Append(H(Range(c))).Append("</td></tr>");
        }

        sb.Append("</tbody></table>");
        var rest = report.Columns.Count - MaxCards - MaxRows;
        if (rest > 0)
        {
            sb.Append("<p class=\"meta\">").Append(Count(rest)).Append(" more columns in the JSON report.</p>");
        }
    }

    private static void Card(StringBuilder sb, ColumnReport c, List<Finding>? bad)
    {
        sb.Append("<section class=\"card\" data-column=\"").Append(H(c.Name)).Append("\"><h3>").Append(H(c.Name)).Append("</h3><div class=\"type\">").Append(H(c.Type));
        if (c.Roles.Count > 0)
        {
            sb.Append(" · ").Append(H(string.Join(", ", c.Roles)));
        }

        sb.Append("</div><dl><dt>Missing</dt><dd>").Append(Count(c.Missing)).Append(" (").Append(H(Pct(c.Rows == 0 ? 0 : (double)c.Missing / c.Rows))).Append(")</dd>");
        sb.Append("<dt>Distinct</dt><dd>").Append(c.DistinctExact ? string.Empty : "~").Append(Count(c.Distinct)).Append("</dd>");
        if (c.Min is { } min && c.Max is { } max)
        {
            sb.Append("<dt>Min / max</dt><dd>").Append(H(Num(min))).Append(" / ").Append(H(Num(max))).Append("</dd>");
            if (c.Mean is { } mean)
            {
                sb.Append("<dt>Mean</dt><dd>").Append(H(Num(mean))).Append(c.StdDev is { } sd ? " ± " + H(Num(sd)) : string.Empty).Append("</dd>");
            }
        }
        else if (c.MeanLength is { } length)
        {
            sb.Append("<dt>Mean length</dt><dd>").Append(length.ToString("0.#", CultureInfo.InvariantCulture)).Append("</dd>");
        }

        sb.Append("</dl>");
        if (c.Histogram is { } histogram && (c.TopValues is null || c.Distinct > 10))
        {
            Histogram(sb, c.Name, histogram);
        }
        else if (c.TopValues is { Count: > 0 } top)
        {
            TopValues(sb, c, top);
        }

        foreach (var f in (bad ?? []).Take(3))
        {
            sb.Append("<div class=\"bad\">").Append(H(f.Message));
            Examples(sb, f.Examples);
            sb.Append("</div>");
        }

        sb.Append("</section>");
    }

    // Bars in a 300 x 90 view box, the extremes under the axis; each bar's tooltip gives its bin and count.
    private static void Histogram(StringBuilder sb, string column, ColumnHistogram h)
    {
        var peak = Math.Max(1, h.Counts.Max());
        var width = 300.0 / h.Counts.Count;
        var step = (h.Max - h.Min) / h.Counts.Count;
        sb.Append("<svg class=\"chart histogram\" viewBox=\"0 0 300 92\" role=\"img\" aria-label=\"Histogram of ").Append(H(column)).Append(h.Estimated ? " (estimated from a sample)" : string.Empty).Append("\">");
        for (var i = 0; i < h.Counts.Count; i++)
        {
            var height = h.Counts[i] == 0 ? 0 : Math.Max(1, 74.0 * h.Counts[i] / peak);
            sb.Append("<rect class=\"bar\" x=\"").Append(F(i * width + 0.5)).Append("\" y=\"").Append(F(76 - height)).Append("\" width=\"").Append(F(width - 1)).Append("\" height=\"").Append(F(height))
              .Append("\"><title>").Append(H(Num(h.Min + (i * step)))).Append(" to ").Append(H(Num(h.Min + ((i + 1) * step)))).Append(": ").Append(h.Estimated ? "~" : string.Empty).Append(Count(h.Counts[i])).Append("</title></rect>");
        }

        sb.Append("<text class=\"axis\" x=\"0\" y=\"90\">").Append(H(Num(h.Min))).Append("</text><text class=\"axis\" x=\"300\" y=\"90\" text-anchor=\"end\">").Append(H(Num(h.Max))).Append("</text></svg>");
    }

    // One row per value: its label, a bar scaled to the most common value, the count.
    private static void TopValues(StringBuilder sb, ColumnReport c, IReadOnlyList<ValueCount> top)
    {
        var shown = top.Take(8).ToList();
        var peak = Math.Max(1, shown[0].Count);
        sb.Append("<svg class=\"chart top-values\" viewBox=\"0 0 300 ").Append(shown.Count * 18).Append("\" role=\"img\" aria-label=\"Most common values of ").Append(H(c.Name)).Append("\">");
        for (var i = 0; i < shown.Count; i++)
        {
            var y = i * 18;
            var label = shown[i].Value.Length > 20 ? shown[i].Value[..19] + "…" : shown[i].Value;
            var share = c.Rows == 0 ? 0 : (double)shown[i].Count / c.Rows;
            sb.Append("<g><title>").Append(H(shown[i].Value)).Append(": ").Append(Count(shown[i].Count)).Append(" (").Append(H(Pct(share))).Append(")</title>")
              .Append("<text class=\"lbl\" x=\"0\" y=\"").Append(y + 12).Append("\">").Append(H(label)).Append("</text>")
              .Append("<rect class=\"bar\" x=\"120\" y=\"").Append(y + 3).Append("\" width=\"").Append(F(Math.Max(1, 130.0 * shown[i].Count / peak))).Append("\" height=\"12\"/>")
              .Append("<text class=\"num\" x=\"300\" y=\"").Append(y + 12).Append("\" text-anchor=\"end\">").Append(Count(shown[i].Count)).Append("</text></g>");
        }

        sb.Append("</svg>");
    }

    private static void Examples(StringBuilder sb, IReadOnlyList<string>? examples)
    {
        if (examples is not { Count: > 0 })
        {
            return;
        }

        sb.Append("<div class=\"ex\">");
        foreach (var e in examples)
        {
            sb.Append("<code>").Append(H(e)).Append("</code>");
        }

        sb.Append("</div>");
    }

    private static string Range(ColumnReport c) =>
        c.Min is { } min && c.Max is { } max ? $"{Num(min)} to {Num(max)}" : c.MeanLength is { } l ? $"{l.ToString("0.#", CultureInfo.InvariantCulture)} chars" : string.Empty;

    private static string Pct(double fraction) => ReportWriters.Percent(fraction);

    private static string Num(double value) => ReportWriters.Number(value);

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string H(string text) => WebUtility.HtmlEncode(text);
}
