using Alimentar.Semantics;
using System.Globalization;
using System.Text.RegularExpressions;
using Alimentar.Data;
using Alimentar.Quality.Accumulators;
using Alimentar.Quality.Profiles;

namespace Alimentar.Quality;

/// <summary>
/// Turns gathered statistics into the four dimension scores, the overall score, the grade and the findings,
/// exactly as quality-model.md defines them. Pure: the same statistics always give the same report.
/// </summary>
public static partial class QualityScorer
{
    public static QualityReport Score(DatasetStats stats, QualityOptions options)
    {
        var profile = options.Profile;
        var findings = new List<Finding>();
        var critical = new List<string>();
        var rows = stats.Rows;
        var columns = stats.Columns;

        var completeness = Completeness(stats, findings, critical);
        var uniqueness = Uniqueness(stats, profile, findings, critical);
        var (consistency, dominant) = Consistency(stats, findings);
        var schema = Schema(stats, profile, dominant, findings, critical);

        var weights = profile.Weights;
        completeness = completeness with { Weight = weights.Completeness };
        uniqueness = uniqueness with { Weight = weights.Uniqueness };
        consistency = consistency with { Weight = weights.Consistency };
        schema = schema with { Weight = weights.Schema };
        var dims = new[] { (completeness, weights.Completeness), (uniqueness, weights.Uniqueness), (consistency, weights.Consistency), (schema, weights.Schema) };
        var assessed = dims.Where(d => d.Item1.Score.HasValue && d.Item2 > 0).ToList();
        var weightSum = assessed.Sum(d => d.Item2);
        var overall = weightSum > 0 ? assessed.Sum(d => d.Item1.Score!.Value * d.Item2) / weightSum : 0;
        var score = Math.Round(overall, 1);
        var grade = critical.Count > 0 ? Grade.D : QualityReport.GradeFor(score);

        var reasons = new List<string>();
        if (critical.Count > 0)
        {
            reasons.Add($"{critical.Count} critical failure(s)");
        }

        if (grade > options.MinGrade)
        {
            reasons.Add($"grade {grade} is below the required grade {options.MinGrade}");
        }

        if (options.MinScore is { } minScore && score < minScore)
        {
            reasons.Add($"score {score.ToString("0.0", CultureInfo.InvariantCulture)}% is below the required {minScore.ToString("0.#", CultureInfo.InvariantCulture)}%");
        }

        var ordered = findings
            .OrderBy(f => f.Severity)
            .ThenByDescending(f => f.Rate)
            .ThenByDescending(f => f.Count)
            .ThenBy(f => f.Id, StringComparer.Ordinal)
            .ToList();
        ordered = FindingGroups.Group(ordered);

        return new QualityReport
        {
            Score = score,
            Grade = grade.ToString(),
            Publishable = reasons.Count == 0,
            Gate = new GateReport(options.MinGrade.ToString(), options.MinScore, reasons.Count == 0, reasons),
            CriticalFailures = critical,
            Dimensions = new DimensionScores(completeness, uniqueness, consistency, schema),
            Findings = ordered,
            Columns = columns.Select((c, position) => ColumnReportFor(c, stats.ColumnStats[c.Index], dominant[c.Index], position < ColumnReport.DistributionColumns)).ToList(),
            Rows = rows,
            DeclaredRows = stats.DeclaredRows,
            Duplicates = Duplicates(stats),
            Profile = profile.Name,
            Inputs = stats.Files,
        };
    }

    private static DimensionScore Skipped(double weight, string why) => new(null, weight, why, new Dictionary<string, double>());

    private static double Round(double value) => Math.Round(value, 2);

    private static DimensionScore Completeness(DatasetStats stats, List<Finding> findings, List<string> critical)
    {
        var weight = 0.0;
        var rows = stats.Rows;
        var required = stats.Columns.Where(c => !c.IsNullable && c.InRowHash).ToList();
        foreach (var column in stats.Columns.Where(c => c.AmbiguousTokens is { AsMissing: false, Hits.Count: > 0 }))
        {
            // Read as values, not missing: say so, with how to say otherwise.
            var reading = column.AmbiguousTokens!;
            var (token, count) = reading.Hits[0];
            var share = (double)count / Math.Max(1, reading.SampledRows);
            var others = reading.Hits.Count > 1 ? $" (also {string.Join(", ", reading.Hits.Skip(1).Select(h => $"'{h.Token}'"))})" : string.Empty;
            findings.Add(new Finding("token-as-value", Severity.Info, "completeness", $"Column '{column.Name}': '{token}' in {Pct(share)} of {(reading.SampledRows >= rows ? "the rows" : $"the first {reading.SampledRows:N0} rows")}{others} is read as a value, not as missing, because the column holds text; if it means missing, add it to null_tokens", [column.Name], count, share, [], $"a profile (--profile-file) with null_tokens: [{DefaultTokensYaml}]"));
        }

        foreach (var column in stats.Columns.Where(c => c.InRowHash))
        {
            var s = stats.ColumnStats[column.Index];
            if (rows == 0)
            {
                continue;
            }

            var c = (double)(rows - s.Missing) / rows;
            if (s.Missing == rows && !column.IsNullable)
            {
                critical.Add($"column '{column.Name}' is entirely missing");
                if (column.Name.Length == 0)
                {
                    // What a separator at the end of every line of an export makes: one finding that says so, and a
                    // fix that works, instead of four (empty, no type, no name, no values) about a column without a name.
                    findings.Add(new Finding("all-missing-column", Severity.Critical, "completeness", $"Column {column.Index + 1} has no name and no values (a separator at the end of every line makes such a column)", [column.Name], s.Missing, 1, s.MissingSamples.Rows, "alimentar clean --drop-columns ''"));
                    continue;
                }

                findings.Add(new Finding("all-missing-column", Severity.Critical, "completeness", $"Column '{column.Name}' has no values ({s.Missing} of {rows} cells missing)", [column.Name], s.Missing, 1, s.MissingSamples.Rows, $"alimentar clean --remove-nulls --columns {Semantics.ShellQuote.Of(column.Name)}, or drop the column"));
                continue;
            }

            if (column.IsCritical && s.Missing > 0 && !column.IsNullable)
            {
                critical.Add($"critical column '{column.Name}' has {N(s.Missing, "missing cell", "missing cells")}");
                findings.Add(new Finding("missing-critical", Severity.Critical, "completeness", $"Critical column '{column.Name}' must be complete: {N(s.Missing, "missing cell", "missing cells")} ({Pct(1 - c)})", [column.Name], s.Missing, 1 - c, s.MissingSamples.Rows, $"alimentar clean --remove-nulls --columns {Semantics.ShellQuote.Of(column.Name)}"));
                continue;
            }

            if (column.IsNullable || s.Missing == 0)
            {
                continue;
            }

            var severity = c < 0.5 ? Severity.High : c < 0.95 ? Severity.Warn : Severity.Info;
            // A mostly empty column is an optional field or a dead one: removing its rows would delete most of the
            // data, so the advice is to drop the column or declare it nullable.
            var quoted = Semantics.ShellQuote.Of(column.Name);
            var fix = c < 0.5
                ? $"alimentar clean --drop-columns {quoted}, or declare it nullable (columns.nullable in a profile)"
                : $"alimentar clean --remove-nulls --columns {quoted}";
            findings.Add(new Finding("missing-values", severity, "completeness", $"Column '{column.Name}' has {N(s.Missing, "missing cell", "missing cells")} ({Pct(1 - c)}; {s.Nulls} null, {s.Missing - s.Nulls} NaN/blank/null-token){(c < 0.5 ? ": mostly empty" : string.Empty)}", [column.Name], s.Missing, 1 - c, s.MissingSamples.Rows, fix));
        }

        if (stats.EmptyRows > 0)
        {
            findings.Add(new Finding("empty-rows", Severity.Warn, "completeness", $"{stats.EmptyRows} rows are entirely empty", [], stats.EmptyRows, (double)stats.EmptyRows / rows, stats.EmptyRowSamples.Rows, "alimentar clean --remove-nulls"));
        }

        if (rows == 0 || required.Count == 0)
        {
            return Skipped(weight, rows == 0 ? "no rows" : "no required columns");
        }

        double weighted = 0, weights = 0;
        foreach (var column in required)
        {
            var w = column.IsCritical || column.IsLabel || column.IsText || column.IsCode ? 2 : 1;
            weighted += w * (double)(rows - stats.ColumnStats[column.Index].Missing) / rows;
            weights += w;
        }

        var cell = weighted / weights;
        var row = (double)stats.CompleteRows / rows;
        var score = 100 * ((0.5 * cell) + (0.5 * row));
        var summary = stats.CompleteRows == rows ? "no missing values in required columns" : $"{Pct(row)} of rows complete, {Pct(cell)} of cells";
        return new DimensionScore(Round(score), weight, summary, new Dictionary<string, double> { ["cell"] = Round(cell), ["row"] = Round(row) });
    }

    // The default tokens as a YAML list to paste into a profile (the empty token and '-' need quotes there).
    private static readonly string DefaultTokensYaml = string.Join(", ", QualityDefaults.NullTokens.Select(t => t.Length == 0 || t == "-" ? $"\"{t}\"" : t));

    /// <summary>A duplicate-row rate above which duplicates are a critical failure in every profile (most rows are copies).</summary>
    public const double MostlyDuplicates = 0.5;

    private static DimensionScore Uniqueness(DatasetStats stats, QualityProfile profile, List<Finding> findings, List<string> critical)
    {
        var rows = stats.Rows;
        var counted = rows - stats.AugmentedRows;
        if (rows == 0 || counted <= 0)
        {
            return Skipped(0, "no rows");
        }

        var e = (double)stats.ExactDuplicates / counted;
        var n = stats.NearDuplicates is { } near ? (double)near.RedundantCopies / rows : 0;
        var g = (double)stats.DegeneratePairs / rows;
        var score = 100 * (1 - Math.Clamp(e + (profile.NearDuplicateFactor * n) + g, 0, 1));
        var parts = new Dictionary<string, double> { ["exactRate"] = Round(e), ["nearRate"] = Round(n) };
        if (profile.DegeneratePair is not null)
        {
            parts["degenerateRate"] = Round(g);
        }

        if (stats.KeyRows > 0)
        {
            var k = (double)stats.DistinctKeys / stats.KeyRows;
            score = (score + (100 * k)) / 2;
            parts["keyDistinctness"] = Round(k);
            var keyDuplicates = stats.KeyRows - stats.DistinctKeys;
            if (keyDuplicates > 0)
            {
                var keys = stats.Columns.Where(c => c.IsKey).Select(c => c.Name).ToList();
                findings.Add(new Finding("duplicate-keys", Severity.Warn, "uniqueness", $"{keyDuplicates} rows repeat a key ({string.Join(", ", keys)})", keys, keyDuplicates, (double)keyDuplicates / stats.KeyRows, [], "alimentar clean --deduplicate"));
            }
        }

        var samples = stats.DuplicateSamples.Select(d => d.Row).ToList();
        if (stats.ExactDuplicates > 0)
        {
            // Severity follows the rate: when most rows are copies, the data is mostly not there, whatever the profile.
            var mostlyCopies = e > MostlyDuplicates;
            var severity = profile.DuplicatesCritical || mostlyCopies ? Severity.Critical : e > profile.MaxDuplicateRate ? Severity.Warn : Severity.Info;
            if (profile.DuplicatesCritical)
            {
                critical.Add($"{stats.ExactDuplicates} exact duplicate rows (profile {profile.Name} allows none)");
            }
            else if (mostlyCopies)
            {
                critical.Add($"{Pct(e)} of the rows are exact duplicates");
            }

            var example = stats.DuplicateSamples.Count > 0 ? $"; e.g. row {stats.DuplicateSamples[0].Row} repeats row {stats.DuplicateSamples[0].DuplicateOf}" : string.Empty;
            findings.Add(new Finding("exact-duplicates", severity, "uniqueness", $"{stats.ExactDuplicates} exact duplicate rows ({Pct(e)}){example}", [], stats.ExactDuplicates, e, samples, "alimentar clean --deduplicate"));
        }

        var normalizedOnly = stats.NormalizedDuplicates - stats.ExactDuplicates;
        if (normalizedOnly > 0)
        {
            findings.Add(new Finding("normalized-duplicates", Severity.Info, "uniqueness", $"{normalizedOnly} more rows duplicate another after text normalization (differ only by whitespace, line endings or Unicode form)", [], normalizedOnly, (double)normalizedOnly / rows, stats.NormalizedDuplicateSamples.Select(d => d.Row).ToList(), "alimentar clean --normalize-text --deduplicate"));
        }

        var compared = stats.NearDuplicateColumns is { Count: > 0 } names ? string.Join(", ", names.Select(c => $"'{c}'")) : string.Empty;
        if (stats.NearDuplicates is { RedundantCopies: > 0 } nd)
        {
            var severity = n > 0.1 ? Severity.Warn : Severity.Info;
            findings.Add(new Finding("near-duplicates", severity, "uniqueness", $"{nd.RedundantCopies} near-duplicate copies in {nd.Clusters.Count} clusters ({Pct(n)}), compared on {compared}", stats.NearDuplicateColumns ?? [], nd.RedundantCopies, n, nd.Clusters.SelectMany(c => c.Members.Skip(1)).Take(SampleRows.Limit).ToList(), "alimentar clean --deduplicate --near-duplicates"));
        }
        else if (stats.NearDuplicateColumns is { Count: > 0 })
        {
            findings.Add(new Finding("near-duplicates", Severity.Info, "uniqueness", $"No near duplicates: rows compared on {compared}", stats.NearDuplicateColumns, 0, 0, [], null));
        }
        else if (stats.NearDuplicateColumns is not null)
        {
            findings.Add(new Finding("near-duplicates-skipped", Severity.Info, "uniqueness", "Near duplicates not checked: no column holds prose or code (name them with --text-columns, or columns.text or columns.code in a profile)", [], 0, 0, [], null));
        }

        if (stats.DegeneratePairs > 0 && profile.DegeneratePair is { } pair)
        {
            findings.Add(new Finding("degenerate-pairs", Severity.Warn, "uniqueness", $"{stats.DegeneratePairs} rows have {pair.Source} equal to {pair.Target} after normalization", [pair.Source, pair.Target], stats.DegeneratePairs, g, stats.DegenerateSamples.Rows, "remove pairs whose source and target are identical"));
        }

        var summary = stats.ExactDuplicates == 0 ? "no duplicate rows" : e <= 0.05 ? "low duplicate rate" : "high duplicate rate";
        return new DimensionScore(Round(score), 0, summary, parts);
    }

    private static (DimensionScore Score, string?[] Dominant) Consistency(DatasetStats stats, List<Finding> findings)
    {
        var columns = stats.Columns;
        var dominant = new string?[columns.Count];
        long typeChecked = 0, typeViolations = 0, encodingChecked = 0, encodingViolations = 0;
        long formatChecked = 0, formatViolations = 0, wsChecked = 0, wsViolations = 0;
        long catChecked = 0, catViolations = 0, outChecked = 0, outViolations = 0;
        var lfPresent = stats.ColumnStats.Sum(s => s.LineFeedOnlyCells) > 0;

        foreach (var column in columns)
        {
            var s = stats.ColumnStats[column.Index];
            var present = s.Rows - s.Missing;
            var kind = column.Info.Kind;
            var numericForOutliers = kind is ColumnKind.Integer or ColumnKind.Float or ColumnKind.Decimal;
            switch (kind)
            {
                case ColumnKind.Integer or ColumnKind.Float or ColumnKind.Decimal or ColumnKind.Boolean or ColumnKind.Temporal:
                    typeChecked += present;
                    typeViolations += s.Infinities;
                    dominant[column.Index] = kind.ToString().ToLowerInvariant();
                    if (s.Infinities > 0)
                    {
                        findings.Add(new Finding("non-finite", Severity.Warn, "consistency", $"Column '{column.Name}' has {s.Infinities} infinite values", [column.Name], s.Infinities, Rate(s.Infinities, present), s.InfinitySamples.Rows, "alimentar clean --validate-types"));
                    }

                    break;
                case ColumnKind.String:
                    {
                        var (violations, dominantName, samples, offending) = TypeConformance(s);
                        dominant[column.Index] = dominantName;
                        typeChecked += present;
                        typeViolations += violations;
                        if (violations > 0)
                        {
                            var mixed = s.JsonKindCounts.Count(k => k > 0) > 1;
                            findings.Add(new Finding(
                                mixed ? "mixed-json-types" : "type-mismatch",
                                Rate(violations, present) > 0.05 ? Severity.Warn : Severity.Info,
                                "consistency",
                                mixed
                                    ? $"Column '{column.Name}' mixes JSON types: {N(violations, "value differs", "values differ")} from its dominant type ({dominantName})"
                                    : $"Column '{column.Name}' is mostly {dominantName}, but {N(violations, "value is", "values are")} not",
                                [column.Name],
                                violations,
                                Rate(violations, present),
                                samples,
                                "alimentar clean --validate-types",
                                offending));
                        }

                        if (s.Infinities > 0)
                        {
                            typeViolations += s.Infinities;
                            findings.Add(new Finding("non-finite", Severity.Warn, "consistency", $"Column '{column.Name}' has {N(s.Infinities, "number", "numbers")} beyond the range of a double (such as 1e400), which read as infinite", [column.Name], s.Infinities, Rate(s.Infinities, present), s.InfinitySamples.Rows, "alimentar clean --validate-types", s.InfinitySamples.Values));
                        }

                        // JSON numbers too ("number" is their dominant JSON type): the same values score alike in every format.
                        numericForOutliers = dominantName is "integer" or "decimal" or "number";
                        encodingChecked += s.TextCells;
                        encodingViolations += s.EncodingProblems;
                        if (s.EncodingProblems > 0)
                        {
                            findings.Add(new Finding("encoding", Severity.Warn, "consistency", $"Column '{column.Name}' has {N(s.EncodingProblems, "value", "values")} with encoding problems (invalid UTF-8, U+FFFD, mojibake, BOM or control characters)", [column.Name], s.EncodingProblems, Rate(s.EncodingProblems, s.TextCells), s.EncodingSamples.Rows, "alimentar clean --normalize-text", s.EncodingSamples.Values));
                        }

                        if (column.WhitespaceChecks)
                        {
                            wsChecked += s.TextCells;
                            var cr = lfPresent ? s.CarriageReturnCells - s.CarriageReturnAndEdge : 0;
                            wsViolations += s.EdgeWhitespace + cr;
                            if (s.EdgeWhitespace > 0)
                            {
                                findings.Add(new Finding("whitespace", Severity.Info, "consistency", $"Column '{column.Name}' has {N(s.EdgeWhitespace, "value", "values")} with leading or trailing whitespace", [column.Name], s.EdgeWhitespace, Rate(s.EdgeWhitespace, s.TextCells), s.WhitespaceSamples.Rows, "alimentar clean --normalize-text", s.WhitespaceSamples.Values));
                            }

                            if (cr > 0)
                            {
                                findings.Add(new Finding("line-endings", Severity.Info, "consistency", $"Column '{column.Name}' has {N(s.CarriageReturnCells, "value", "values")} with CR or CRLF line endings while other text uses LF", [column.Name], s.CarriageReturnCells, Rate(s.CarriageReturnCells, s.TextCells), s.CarriageReturnSamples.Rows, "alimentar clean --normalize-text", s.CarriageReturnSamples.Values));
                            }
                        }

                        if (!s.Spellings.Overflowed && s.TextCells > 0)
                        {
                            var (cells, examples) = s.Spellings.MinoritySpellings();
                            catChecked += s.TextCells;
                            catViolations += cells;
                            if (cells > 0)
                            {
                                findings.Add(new Finding("category-spellings", Severity.Warn, "consistency", $"Column '{column.Name}' spells one category several ways: {string.Join(", ", examples)}", [column.Name], cells, Rate(cells, s.TextCells), [], "map each category to one spelling (alimentar clean --normalize-text trims whitespace)"));
                            }
                        }

                        var dateCells = s.DateFormats.Skip(1).Sum();
                        if (dominantName == "datetime" && dateCells > 0)
                        {
                            var mixedDates = dateCells - s.DateFormats.Skip(1).Max();
                            formatChecked += dateCells;
                            formatViolations += mixedDates;
                            if (mixedDates > 0)
                            {
                                var used = s.DateFormats.Select((count, i) => (count, i)).Where(x => x.i > 0 && x.count > 0).Select(x => ValueClasses.DateFormatNames[x.i]);
                                findings.Add(new Finding("mixed-date-formats", Severity.Warn, "consistency", $"Column '{column.Name}' mixes date formats ({string.Join(", ", used)})", [column.Name], mixedDates, Rate(mixedDates, dateCells), [], "alimentar clean --validate-types"));
                            }
                        }

                        if (s.PatternChecked > 0)
                        {
                            formatChecked += s.PatternChecked;
                            formatViolations += s.PatternViolations;
                            if (s.PatternViolations > 0)
                            {
                                findings.Add(new Finding("pattern", Severity.Warn, "consistency", $"Column '{column.Name}' has {N(s.PatternViolations, "value that breaks", "values that break")} the profile's format rules{Describe(column)}", [column.Name], s.PatternViolations, Rate(s.PatternViolations, s.PatternChecked), s.PatternSamples.Rows, "fix or drop the offending rows", s.PatternSamples.Values));
                            }
                        }

                        break;
                    }

                case ColumnKind.Unsupported:
                    typeChecked += present;
                    typeViolations += present;
                    dominant[column.Index] = "unsupported";
                    break;
                default:
                    typeChecked += present;
                    dominant[column.Index] = kind.ToString().ToLowerInvariant();
                    break;
            }

            if (column.IsLabel && kind != ColumnKind.String && !s.Spellings.Overflowed)
            {
                catChecked += present;
            }

            if (numericForOutliers && !column.IsKey && !column.IsLabel && s.Sketch.Count >= 4)
            {
                var (q1, q3) = s.Sketch.Quartiles();
                var iqr = q3 - q1;
                var (low, high) = (q1 - (3 * iqr), q3 + (3 * iqr));
                var outliers = s.Sketch.CountOutside(low, high);
                outChecked += s.Sketch.Count;
                outViolations += outliers;
                if (outliers > 0)
                {
                    // The fence is known only once every value is seen, so rows are not named; the sample's extremes are.
                    var examples = string.Join(", ", s.Sketch.ExamplesOutside(low, high, SampleRows.Limit).Select(Num));
                    var estimated = s.Sketch.IsExact ? string.Empty : " (estimated from a sample)";
                    findings.Add(new Finding("outliers", Severity.Info, "consistency", $"Column '{column.Name}' has {outliers} outliers{estimated}, values outside the 3×IQR fence [{Num(low)}, {Num(high)}], such as {examples}", [column.Name], outliers, Rate(outliers, s.Sketch.Count), [], "review the extreme values; they may be unit or entry errors"));
                }
            }
        }

        var families = new (string Name, double Weight, long Checked, long Violations)[]
        {
            ("typeConformance", 3, typeChecked, typeViolations),
            ("encoding", 3, encodingChecked, encodingViolations),
            ("format", 2, formatChecked, formatViolations),
            ("whitespace", 1, wsChecked, wsViolations),
            ("categoryHygiene", 1, catChecked, catViolations),
            ("numericOutliers", 1, outChecked, outViolations),
        };
        var applicable = families.Where(f => f.Checked > 0).ToList();
        if (applicable.Count == 0)
        {
            return (Skipped(0, "no values to check"), dominant);
        }

        var violationRate = applicable.Sum(f => f.Weight * ((double)f.Violations / f.Checked)) / applicable.Sum(f => f.Weight);
        var parts = applicable.ToDictionary(f => f.Name, f => Round(100 * (1 - ((double)f.Violations / f.Checked))));
        // Named by kind: outliers and stray whitespace are not "malformed", and the reader should see which it is.
        var kinds = new Dictionary<string, string>
        {
            ["typeConformance"] = "of another type",
            ["encoding"] = "with encoding problems",
            ["format"] = "breaking a format rule",
            ["whitespace"] = "with stray whitespace",
            ["categoryHygiene"] = "misspelt categories",
            ["numericOutliers"] = "outliers",
        };
        var summary = applicable.All(f => f.Violations == 0)
            ? "format validation passed"
            : string.Join(", ", applicable.Where(f => f.Violations > 0).Select(f => $"{f.Violations:N0} {kinds[f.Name]}"));
        return (new DimensionScore(Round(100 * (1 - violationRate)), 0, summary, parts), dominant);
    }

    /// <summary>The dominant-class rule, and for JSON sources the dominant-JSON-type rule; sample rows with their values.</summary>
    private static (long Violations, string Dominant, IReadOnlyList<long> Samples, IReadOnlyList<string> Examples) TypeConformance(ColumnStats s)
    {
        // The offending classes' samples are gathered (and their values turned into text) only when there are
        // offending cells: nearly every column of a wide table has none, and doing it for each cost a second there.
        var (violations, dominant, offending) = Violations(s);
        if (violations == 0)
        {
            return (0, dominant, [], []);
        }

        var first = offending.SelectMany(o => o.Samples).OrderBy(x => x.Row).Take(SampleRows.Limit).ToList();
        return (violations, dominant, first.Select(x => x.Row).ToList(), first.Select(x => x.Value).OfType<string>().Distinct(StringComparer.Ordinal).ToList());
    }

    private static (long Violations, string Dominant, List<SampleRows> Offending) Violations(ColumnStats s)
    {
        long violations = 0;
        var offending = new List<SampleRows>();
        var jsonKinds = s.JsonKindCounts;
        if (jsonKinds.Any(k => k > 0))
        {
            var top = Array.IndexOf(jsonKinds, jsonKinds.Max());
            for (var k = 1; k < jsonKinds.Length; k++)
            {
                if (k != top)
                {
                    violations += jsonKinds[k];
                    if (s.JsonKindSamplesOf(k) is { } samples)
                    {
                        offending.Add(samples);
                    }
                }
            }

            if (top != (int)JsonValueKind2.String)
            {
                return (violations, ((JsonValueKind2)top).ToString().ToLowerInvariant(), offending);
            }
        }

        var c = s.ClassCounts;
        var (dominant, exempt) = ValueClasses.Dominant(c);
        for (var k = 0; k < c.Length; k++)
        {
            if (!exempt.Contains((ValueClass)k))
            {
                violations += c[k];
                if (s.ClassSamplesOf(k) is { } samples)
                {
                    offending.Add(samples);
                }
            }
        }

        return (violations, dominant, offending);
    }

    private static DimensionScore Schema(DatasetStats stats, QualityProfile profile, string?[] dominant, List<Finding> findings, List<string> critical)
    {
        var columns = stats.Columns;
        var checks = new List<(string Name, double Weight, double Pass)>();
        if (columns.Count == 0 || stats.Rows == 0)
        {
            var what = columns.Count == 0 ? "no columns" : "no rows";
            critical.Add($"dataset has {what}");
            findings.Add(new Finding("empty-dataset", Severity.Critical, "schema", $"The dataset has {what}", [], 0, 1, [], "check the export that produced the file"));
            checks.Add(("S1", 2, 0));
        }

        // A CSV whose records do not all have the header's fields has lost or shifted data without an error.
        foreach (var (file, rows, samples, header, extra) in stats.RaggedCsv)
        {
            critical.Add($"{N(rows, "record", "records")} of {Path.GetFileName(file)} {(rows == 1 ? "has" : "have")} a different number of fields than the header");
            var kept = extra is null ? string.Empty : $", extra fields are kept in column '{extra}'";
            var records = samples.Count == 1
                ? $"record {samples[0].Record} has {samples[0].Fields}"
                : $"records {string.Join(", ", samples.Select(r => $"{r.Record} ({r.Fields} fields)"))}{(rows > samples.Count ? ", ..." : string.Empty)}";

            // Rows of the dataset are the file's only when it is the dataset's only file (record numbers say where in any case).
            var sampleRows = stats.Files.Count == 1 ? samples.Select(r => r.Row).ToList() : [];
            findings.Add(new Finding("ragged-rows", Severity.Critical, "schema", $"{N(rows, "record", "records")} of {file} {(rows == 1 ? "does" : "do")} not have the header's {header} fields ({records}): missing fields read as empty{kept}", extra is null ? [] : [extra], rows, stats.Rows == 0 ? 1 : (double)rows / stats.Rows, sampleRows, "fix the export: quote fields that contain the separator, or check the separator"));
        }

        // S2: column names.
        if (columns.Count > 0)
        {
            // Counted once: comparing each name with every other is quadratic, minutes on 100,000 columns.
            var folds = columns.CountBy(c => c.Name.Trim().ToLowerInvariant(), StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal);
            var bad = columns.Select(c => (Column: c, Problem: BadName(c.Name, folds))).Where(b => b.Problem is not null).ToList();
            foreach (var (c, problem) in bad.Where(b => !UnnamedAndEmpty(b.Column, stats)))
            {
                findings.Add(new Finding("column-name", Severity.Warn, "schema", c.Name.Length == 0 ? $"Column {c.Index + 1} has no name" : $"Column '{c.Name}': {problem}", [c.Name], 1, 1.0 / columns.Count, [], "rename the column"));
            }

            // Repeated header names: every field was kept (the later ones renamed), but the names cannot be relied on.
            foreach (var group in stats.RenamedHeaders.GroupBy(r => (r.File, r.Original)))
            {
                var readAs = string.Join(", ", group.Select(r => $"column {r.Column} as '{r.ReadAs}'"));
                findings.Add(new Finding("duplicate-header", Severity.Warn, "schema", $"{group.Key.File}: the header has the name '{group.Key.Original}' {group.Count() + 1} times; every column is kept, the repeats are read as {readAs}", group.Select(r => r.ReadAs).ToList(), group.Count(), (double)group.Count() / columns.Count, [], "give every column its own name in the export"));
            }

            checks.Add(("S2", 2, 1 - ((double)(bad.Count + stats.RenamedHeaders.Count) / columns.Count)));

            // S3: concrete, supported types.
            var badTypes = 0;
            foreach (var c in columns)
            {
                var s = stats.ColumnStats[c.Index];
                string? problem = c.Info.Kind switch
                {
                    ColumnKind.Null => "has the null type (no values)",
                    ColumnKind.Unsupported => $"has an unsupported type ({c.Info.SourceType})",
                    ColumnKind.Binary when c.Info.SourceType == "binary" => "is an untyped binary blob",
                    ColumnKind.String when c.Info.TextInferred && s.Rows > 0 && s.Missing == s.Rows => "has no values, so no type can be inferred",
                    ColumnKind.String when c.Info.TextInferred && TypeConformance(s).Violations > 0 => $"does not infer a single type (mostly {dominant[c.Index]})",
                    _ => null,
                };
                if (problem is not null && c.InRowHash)
                {
                    badTypes++;
                    if (UnnamedAndEmpty(c, stats))
                    {
                        continue;
                    }

                    findings.Add(new Finding("column-type", Severity.Warn, "schema", $"Column '{c.Name}' {problem}", [c.Name], 1, 1.0 / columns.Count, [], c.Info.Kind == ColumnKind.String ? "alimentar clean --validate-types" : "store the column with a concrete type"));
                }
            }

            checks.Add(("S3", 2, 1 - ((double)badTypes / columns.Count)));
        }

        // S4: nested consistency.
        var nestedChecks = new List<(string What, bool Pass)>();
        foreach (var shape in stats.JsonShapes)
        {
            nestedChecks.Add(("every record is a JSON object", shape.NonObjectRecords == 0));
            foreach (var (field, (objects, keys)) in shape.ObjectFields)
            {
                var phantom = keys.Where(k => k.Value < 0.05 * objects).Select(k => k.Key).ToList();
                nestedChecks.Add(($"field '{field}' has a stable key set{(phantom.Count > 0 ? $" (phantom keys: {string.Join(", ", phantom.Take(5))})" : string.Empty)}", phantom.Count == 0));
            }

            foreach (var (field, kinds) in shape.ArrayElementKinds)
            {
                nestedChecks.Add(($"list field '{field}' has one element type{(kinds.Count > 1 ? $" (has {string.Join(", ", kinds)})" : string.Empty)}", kinds.Count <= 1));
            }

            if (shape.MaxDepth > 0)
            {
                nestedChecks.Add(($"nesting depth {shape.MaxDepth} ≤ {profile.MaxNestingDepth}", shape.MaxDepth <= profile.MaxNestingDepth));
            }
        }

        foreach (var c in columns.Where(c => c.Info.Kind == ColumnKind.Nested))
        {
            nestedChecks.Add(($"column '{c.Name}' is a well-formed {c.Info.SourceType} of depth {c.Info.NestingDepth}", c.Info.SourceType != "struct<>" && c.Info.NestingDepth <= profile.MaxNestingDepth));
        }

        if (nestedChecks.Count > 0)
        {
            foreach (var failed in nestedChecks.Where(n => !n.Pass))
            {
                findings.Add(new Finding("nested-shape", Severity.Warn, "schema", $"Nested data: expected {failed.What}", [], 1, 1.0 / nestedChecks.Count, [], "make records share one structure"));
            }

            checks.Add(("S4", 2, (double)nestedChecks.Count(n => n.Pass) / nestedChecks.Count));
        }

        // S5: profile-required columns (a gate).
        if (profile.RequiredColumns.Count > 0)
        {
            var names = columns.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
            var absent = profile.RequiredColumns.Where(r => !names.Contains(r)).ToList();
            if (absent.Count > 0)
            {
                critical.Add($"required columns missing: {string.Join(", ", absent)}");
                findings.Add(new Finding("required-columns", Severity.Critical, "schema", $"Profile {profile.Name} requires columns that are absent: {string.Join(", ", absent)}", absent, absent.Count, (double)absent.Count / profile.RequiredColumns.Count, [], "add the columns or use --profile-file with your column names"));
            }

            checks.Add(("S5", 2, 1 - ((double)absent.Count / profile.RequiredColumns.Count)));
        }

        // S6: no zero-information columns.
        if (columns.Count > 0 && stats.Rows > 1)
        {
            var zero = 0;
            foreach (var c in columns.Where(c => c.InRowHash))
            {
                var s = stats.ColumnStats[c.Index];
                var allMissing = s.Missing == s.Rows;
                var constant = !allMissing && s.Distinct.Count() <= 1;
                if ((allMissing && !c.IsNullable) || (constant && !c.IsExpectedConstant))
                {
                    zero++;
                    if (UnnamedAndEmpty(c, stats))
                    {
                        continue;
                    }

                    findings.Add(new Finding("zero-information", Severity.Warn, "schema", allMissing ? $"Column '{c.Name}' holds no values" : $"Column '{c.Name}' holds one constant value", [c.Name], 1, 1.0 / columns.Count, [], "drop the column or declare it expected_constant in a profile"));
                }
            }

            checks.Add(("S6", 2, 1 - ((double)zero / columns.Count)));
        }

        // S7: label sanity (ml-training).
        var label = columns.FirstOrDefault(c => c.IsLabel);
        if (profile.LabelSanity && label is not null)
        {
            var s = stats.ColumnStats[label.Index];
            var classes = s.Distinct.Count();
            checks.Add(("S7", 1, classes >= 2 ? 1 : 0));
            if (classes < 2)
            {
                findings.Add(new Finding("label-classes", Severity.High, "schema", $"Label column '{label.Name}' has {classes} class(es); training needs at least 2", [label.Name], classes, 1, [], "add examples of the other classes"));
            }
            else if (!s.Spellings.Overflowed)
            {
                // Classes as the category-hygiene fold sees them ("Positive", "positive " and "positive" are one
                // class, as augment balances them): a spelling variant is a consistency finding, not a class.
                var counts = s.Spellings.Spellings
                    .GroupBy(x => Semantics.TextNormalization.CategoryKey(x.Value), StringComparer.Ordinal)
                    .Select(g => g.Sum(x => x.Count))
                    .OrderDescending()
                    .ToList();
                var ratio = (double)counts[0] / counts[^1];
                var rarest = (double)counts[^1] / counts.Sum();
                if (counts.Count >= 2 && (ratio > 3 || rarest < 0.1 / counts.Count))
                {
                    var band = ratio > 100 ? "severe" : ratio > 10 ? "high" : "moderate";
                    findings.Add(new Finding("class-imbalance", Severity.Info, "schema", $"Label '{label.Name}' is imbalanced ({band}): majority/minority ratio {ratio:0.#}, rarest class {Pct(rarest)} of rows", [label.Name], counts[^1], rarest, [], $"alimentar augment --balance-classes --label-column {Semantics.ShellQuote.Of(label.Name)}"));
                }
            }
        }
        else if (profile.LabelSanity && label is null)
        {
            findings.Add(new Finding("no-label", Severity.Info, "schema", "No label column found (name one with --label-column)", [], 0, 0, [], "--label-column NAME"));
        }

        if (stats.DeclaredRows is { } declared && declared > stats.Rows)
        {
            // Rows the footer promises and the pages do not deliver were lost to corruption: every other number in
            // the report describes what is left, so the grade cannot be better than D.
            var lost = declared - stats.Rows;
            critical.Add($"{lost} of {declared} rows could not be decoded");
            findings.Add(new Finding("rows-lost", Severity.Critical, "schema", $"{lost} of the {declared} rows the file metadata declares could not be decoded ({Pct((double)lost / declared)}): the data pages are damaged", [], lost, (double)lost / declared, [], "restore the file from its source, or rewrite it with a current Parquet writer"));
        }
        else if (stats.DeclaredRows is { } claimed && claimed < stats.Rows)
        {
            findings.Add(new Finding("footer-row-count", Severity.Warn, "schema", $"File metadata claims {claimed} rows but {stats.Rows} were decoded", [], stats.Rows - claimed, 0, [], "rewrite the file with a current Parquet writer"));
        }

        if (checks.Count == 0)
        {
            return Skipped(0, "nothing to check");
        }

        var score = 100 * checks.Sum(c => c.Weight * c.Pass) / checks.Sum(c => c.Weight);
        var summary = checks.All(c => c.Pass >= 1) ? "all types valid" : $"{checks.Count(c => c.Pass < 1)} of {checks.Count} checks failed";
        return new DimensionScore(Round(score), 0, summary, checks.ToDictionary(c => c.Name, c => Round(c.Pass)));
    }

    private static string? BadName(string name, Dictionary<string, int> foldCounts)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "empty name";
        }

        if (name != name.Trim())
        {
            return "leading or trailing whitespace";
        }

        if (name.Any(char.IsControl))
        {
            return "control characters in the name";
        }

        if (AutoName().IsMatch(name))
        {
            return "auto-generated or unnamed column (an index or header leaked into the data)";
        }

        if (foldCounts[name.Trim().ToLowerInvariant()] > 1)
        {
            return "duplicate name (case-insensitive)";
        }

        return null;
    }

    [GeneratedRegex(@"^(Unnamed: ?\d+|_c\d+|column_?\d+|Column\d+|__index_level_\d+__)$", RegexOptions.IgnoreCase)]
    private static partial Regex AutoName();

    // A column without a name or a value, reported once, by the all-missing finding.
    private static bool UnnamedAndEmpty(ColumnPlan c, DatasetStats stats) =>
        c.Name.Length == 0 && !c.IsNullable && stats.ColumnStats[c.Index] is { Rows: > 0 } s && s.Missing == s.Rows;

    private static ColumnReport ColumnReportFor(ColumnPlan c, ColumnStats s, string? dominant, bool distribution)
    {
        var roles = new List<string>();
        if (c.IsLabel)
        {
            roles.Add("label");
        }

        if (c.IsKey)
        {
            roles.Add("key");
        }

        if (c.IsText)
        {
            roles.Add("text");
        }

        if (c.IsCode)
        {
            roles.Add("code");
        }

        if (c.IsNullable)
        {
            roles.Add("nullable");
        }

        if (c.IsCritical)
        {
            roles.Add("critical");
        }

        var numeric = s.Numeric.Count > 0;
        return new ColumnReport(
            c.Name,
            c.Info.TextInferred ? $"{dominant ?? "text"} (inferred)" : c.Info.SourceType,
            c.Info.Kind.ToString().ToLowerInvariant(),
            s.Rows,
            s.Nulls,
            s.Missing,
            s.Rows == 0 ? 1 : Math.Round((double)(s.Rows - s.Missing) / s.Rows, 4),
            s.Distinct.Count(),
            s.Distinct.IsExact,
            numeric ? s.Numeric.Min : null,
            numeric ? s.Numeric.Max : null,
            numeric ? Stable(s.Numeric.Mean) : null,
            numeric ? Stable(s.Numeric.StdDev) : null,
            s.Lengths.Count > 0 ? Math.Round(s.Lengths.Mean, 1) : null,
            dominant,
            roles,
            distribution && s.Spellings.Top(10) is { Count: > 0 } top ? top.Select(v => new ValueCount(SampleValue.Of(System.Text.Encoding.UTF8.GetBytes(v.Value)), v.Count)).ToList() : null,
            distribution && numeric && double.IsFinite(s.Numeric.Min) && double.IsFinite(s.Numeric.Max)
                ? new ColumnHistogram(s.Numeric.Min, s.Numeric.Max, s.Sketch.Histogram(s.Numeric.Min, s.Numeric.Max, HistogramBins), !s.Sketch.IsExact)
                : null);
    }

    private const int HistogramBins = 20;

    private static DuplicateReport Duplicates(DatasetStats stats)
    {
        var counted = Math.Max(1, stats.Rows - stats.AugmentedRows);
        NearDuplicateReport? near = stats.NearDuplicates is { } n
            ? new NearDuplicateReport(n.RedundantCopies, n.RowsInClusters, n.Clusters.Count, n.ClusterSizeHistogram, n.SamplePairs.Select(p => new NearDuplicatePair(p.A, p.B, p.Similarity)).ToList(), n.Parameters)
            : null;
        return new DuplicateReport(
            stats.ExactDuplicates,
            Math.Round((double)stats.ExactDuplicates / counted, 6),
            stats.NormalizedDuplicates,
            stats.NearDuplicates?.RedundantCopies,
            stats.DuplicateSamples.Select(d => new[] { d.Row, d.DuplicateOf }).ToList(),
            near);
    }

    private static string Describe(ColumnPlan c)
    {
        var rules = new List<string>();
        if (c.Pattern is not null)
        {
            rules.Add($"regex {c.Pattern}");
        }

        if (c.Allowed is not null)
        {
            rules.Add($"one of {c.Allowed.Count} allowed values");
        }

        if (c.MinLength is not null || c.MaxLength is not null)
        {
            rules.Add($"length {c.MinLength ?? 0}..{(c.MaxLength is { } m ? m.ToString(CultureInfo.InvariantCulture) : "∞")}");
        }

        if (c.CodeFilters)
        {
            rules.Add("code filters: max line 1000, mean line 100, alphanumeric ≥ 25%");
        }

        return rules.Count > 0 ? $" ({string.Join("; ", rules)})" : string.Empty;
    }

    // Streaming means depend on merge order in the last bits; reports show 12 significant digits.
    private static double Stable(double value) => double.Parse(value.ToString("G12", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static double Rate(long count, long total) => total == 0 ? 0 : (double)count / total;

    private static string Pct(double fraction) => Reports.ReportWriters.Percent(fraction);

    // "1 missing cell", "2 missing cells".
    private static string N(long count, string one, string many) => $"{count} {(count == 1 ? one : many)}";

    private static string Num(double value) => Reports.ReportWriters.Number(value);
}
