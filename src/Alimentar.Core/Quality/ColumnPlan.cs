using System.Text;
using System.Text.RegularExpressions;
using Alimentar.Data;
using Alimentar.Quality.Profiles;

namespace Alimentar.Quality;

/// <summary>The roles a profile gives one column, resolved once before scanning.</summary>
public sealed class ColumnPlan
{
    public const string AugmentedColumn = Semantics.ProvenanceColumns.Augmented;
    public const string SourceRowColumn = Semantics.ProvenanceColumns.SourceRow;

    public required int Index { get; init; }

    public required ColumnInfo Info { get; init; }

    public string Name => Info.Name;

    public bool IsCode { get; init; }

    public bool IsText { get; init; }

    public bool IsLabel { get; init; }

    public bool IsKey { get; init; }

    public bool IsNullable { get; init; }

    public bool IsCritical { get; init; }

    public bool IsExpectedConstant { get; init; }

    public bool WhitespaceChecks { get; init; }

    public bool CodeFilters { get; init; }

    /// <summary>Provenance columns of augmented rows are not part of the row identity.</summary>
    public bool InRowHash { get; init; } = true;

    public Semantics.NullTokenSet NullTokens { get; init; } = Semantics.NullTokenSet.Empty;

    /// <summary>How the ambiguous default tokens (NA, None, nil, -) were read in this column; null when the profile names its own tokens.</summary>
    public Semantics.AmbiguousTokenReading? AmbiguousTokens { get; init; }

    public Regex? Pattern { get; init; }

    public HashSet<string>? Allowed { get; init; }

    public int? MinLength { get; init; }

    public int? MaxLength { get; init; }

    public bool HasFormatRules => Pattern is not null || Allowed is not null || MinLength is not null || MaxLength is not null || CodeFilters;

    /// <param name="ambiguousTokens">Per column, how the ambiguous default null tokens read there (see
    /// <see cref="Semantics.AmbiguousNullTokens"/>); null to count them as missing everywhere.</param>
    public static IReadOnlyList<ColumnPlan> Build(IReadOnlyList<ColumnInfo> columns, QualityProfile profile, string? labelColumn, IReadOnlyList<Semantics.AmbiguousTokenReading?>? ambiguousTokens = null)
    {
        bool Has(IReadOnlyList<string> list, string name) => list.Contains(name, StringComparer.Ordinal);
        var label = Semantics.ColumnRoles.LabelOf(columns.Select(c => c.Name).ToList(), profile, labelColumn);
        var tokens = new Semantics.NullTokenSet(profile.NullTokens);
        var unambiguous = new Semantics.NullTokenSet(Semantics.AmbiguousNullTokens.Without(profile.NullTokens));
        var plans = new List<ColumnPlan>();
        for (var i = 0; i < columns.Count; i++)
        {
            var c = columns[i];
            var roles = Semantics.ColumnRoles.For(c.Name, profile, label);
            var pattern = profile.Patterns.FirstOrDefault(p => p.Column == c.Name);
            plans.Add(new ColumnPlan
            {
                Index = i,
                Info = c,
                IsCode = roles.Code,
                IsText = roles.Text,
                IsLabel = roles.Label,
                IsKey = roles.Key,
                IsNullable = roles.Nullable,
                IsCritical = roles.Critical,
                IsExpectedConstant = roles.ExpectedConstant,
                WhitespaceChecks = profile.WhitespaceChecks && !roles.Code && !Has(profile.WhitespaceOffColumns, c.Name),
                CodeFilters = profile.CodeFilters && roles.Code,
                InRowHash = !roles.Provenance,
                NullTokens = Has(profile.NullTokensOffColumns, c.Name) ? Semantics.NullTokenSet.Empty
                    : ambiguousTokens?[i] is { AsMissing: false } ? unambiguous
                    : tokens,
                AmbiguousTokens = ambiguousTokens?[i],
                Pattern = pattern?.Regex is { } rx ? new Regex(rx, RegexOptions.CultureInvariant) : null,
                Allowed = pattern?.Allowed is { } allowed ? new HashSet<string>(allowed, StringComparer.Ordinal) : null,
                MinLength = pattern?.MinLength,
                MaxLength = pattern?.MaxLength,
            });
        }

        return plans;
    }
}
