namespace Alimentar.Semantics;

/// <summary>
/// Columns that <c>augment</c> adds to generated rows. They record where a row came from, so they are not part of a
/// row's identity: an intended copy is not a duplicate.
/// </summary>
public static class ProvenanceColumns
{
    public const string Augmented = "_augmented";
    public const string SourceRow = "_source_row";

    public static bool IsProvenance(string name) => name is Augmented or SourceRow;
}
