namespace Alimentar.Data;

/// <summary>What a column holds, as far as quality checks care.</summary>
public enum ColumnKind
{
    Integer,
    Float,
    Decimal,
    Boolean,
    Temporal,
    String,
    Binary,
    Nested,

    /// <summary>An all-null (Arrow/Parquet null type) column.</summary>
    Null,

    /// <summary>A type the readers cannot interpret (unknown logical type).</summary>
    Unsupported,
}

/// <summary>One top-level column of a dataset.</summary>
/// <param name="Name">Column name as stored.</param>
/// <param name="Kind">Kind used by the quality checks.</param>
/// <param name="SourceType">The type as the source format spells it, for reports.</param>
/// <param name="TextInferred">True for columns whose type is inferred from text (CSV/TSV/JSON).</param>
/// <param name="NestingDepth">Depth of nested groups below the column, 0 for primitives.</param>
public sealed record ColumnInfo(string Name, ColumnKind Kind, string SourceType, bool TextInferred = false, int NestingDepth = 0);
