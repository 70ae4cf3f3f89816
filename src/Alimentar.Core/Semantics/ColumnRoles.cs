using Alimentar.Quality.Profiles;

namespace Alimentar.Semantics;

/// <summary>
/// What a profile (and <c>--label-column</c>) makes of one column. Resolved here once, for the scanner's plans and
/// for the transforms that need the same answers (<c>clean</c>'s code columns, <c>augment</c>'s label).
/// </summary>
public sealed record ColumnRoles
{
    public bool Code { get; init; }

    /// <summary>Prose the profile names (near duplicates, text checks).</summary>
    public bool Text { get; init; }

    public bool Label { get; init; }

    public bool Key { get; init; }

    public bool Nullable { get; init; }

    /// <summary>A column whose missing cells are a critical failure (the label always is).</summary>
    public bool Critical { get; init; }

    public bool ExpectedConstant { get; init; }

    /// <summary>An <c>_augmented</c>/<c>_source_row</c> column, outside the row identity.</summary>
    public bool Provenance { get; init; }

    /// <summary>
    /// The label: <paramref name="labelColumn"/>, else the profile's, else (when the profile asks) the first column
    /// named label, labels, target or class.
    /// </summary>
    public static string? LabelOf(IReadOnlyList<string> columns, QualityProfile profile, string? labelColumn)
    {
        var label = labelColumn ?? profile.LabelColumn;
        if (label is null && profile.AutoDetectLabel)
        {
            label = columns.FirstOrDefault(c => c is "label" or "labels" or "target" or "class");
        }

        return label;
    }

    public static ColumnRoles For(string column, QualityProfile profile, string? label)
    {
        bool Has(IReadOnlyList<string> list) => list.Contains(column, StringComparer.Ordinal);
        return new ColumnRoles
        {
            Code = Has(profile.CodeColumns),
            Text = Has(profile.TextColumns),
            Label = column == label,
            Key = Has(profile.KeyColumns),
            Nullable = Has(profile.NullableColumns),
            Critical = Has(profile.CriticalColumns) || column == label,
            ExpectedConstant = Has(profile.ExpectedConstantColumns),
            Provenance = ProvenanceColumns.IsProvenance(column),
        };
    }
}
