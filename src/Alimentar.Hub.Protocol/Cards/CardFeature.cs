namespace Alimentar.Hub.Cards;

/// <summary>
/// A column's type as a dataset card's <c>dataset_info.features</c> writes it (the <c>datasets</c> library's
/// feature YAML, card-metadata.md §6): a scalar dtype, a list, a struct, or a class label.
/// </summary>
public abstract record CardFeature;

/// <summary>A scalar <c>Value</c>: <c>dtype: int64</c>, <c>dtype: timestamp[us, tz=UTC]</c>, ...</summary>
public sealed record ValueFeature(string Dtype) : CardFeature;

/// <summary><c>list:</c> (or <c>large_list:</c>), with <c>length</c> for a fixed-size list.</summary>
public sealed record ListFeature(CardFeature Item, int? Length = null, bool Large = false) : CardFeature;

/// <summary><c>struct:</c>, a list of named fields.</summary>
public sealed record StructFeature(IReadOnlyList<NamedFeature> Fields) : CardFeature
{
    public bool Equals(StructFeature? other) => other is not null && Fields.SequenceEqual(other.Fields);

    public override int GetHashCode() => Fields.Count;
}

/// <summary><c>dtype: {class_label: {names: {'0': neg, '1': pos}}}</c>.</summary>
public sealed record ClassLabelFeature(IReadOnlyList<string> Names) : CardFeature
{
    public bool Equals(ClassLabelFeature? other) => other is not null && Names.SequenceEqual(other.Names);

    public override int GetHashCode() => Names.Count;
}

/// <summary>A column (or struct field) and its feature.</summary>
public sealed record NamedFeature(string Name, CardFeature Feature);
