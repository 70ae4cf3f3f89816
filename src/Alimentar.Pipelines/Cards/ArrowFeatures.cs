using Alimentar.Hub.Cards;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace Alimentar.Pipelines.Cards;

/// <summary>
/// An Arrow schema as <c>dataset_info.features</c>, by the <c>datasets</c> library's own mapping
/// (<c>_arrow_to_datasets_dtype</c>, <c>generate_from_arrow_type</c>; card-metadata.md §6): names kept as Arrow
/// writes them, dictionaries as their value type, lists and structs nested.
/// </summary>
public static class ArrowFeatures
{
    public static IReadOnlyList<NamedFeature> FromSchema(Schema schema) =>
        schema.FieldsList.Select(f => new NamedFeature(f.Name, FromType(f.DataType))).ToList();

    public static CardFeature FromType(IArrowType type) => type switch
    {
        DictionaryType d => FromType(d.ValueType),
        // A map is stored as a list of key/value structs; datasets has no map feature, so the card says what is stored.
        MapType m => new ListFeature(new StructFeature([new NamedFeature(m.KeyField.Name, FromType(m.KeyField.DataType)), new NamedFeature(m.ValueField.Name, FromType(m.ValueField.DataType))])),
        FixedSizeListType f => new ListFeature(FromType(f.ValueDataType), f.ListSize),
        LargeListType l => new ListFeature(FromType(l.ValueDataType), Large: true),
        ListType l => new ListFeature(FromType(l.ValueDataType)),
        StructType s => new StructFeature(s.Fields.Select(f => new NamedFeature(f.Name, FromType(f.DataType))).ToList()),
        _ => new ValueFeature(Dtype(type)),
    };

    public static string Dtype(IArrowType type) => type switch
    {
        NullType => "null",
        BooleanType => "bool",
        Int8Type => "int8",
        Int16Type => "int16",
        Int32Type => "int32",
        Int64Type => "int64",
        UInt8Type => "uint8",
        UInt16Type => "uint16",
        UInt32Type => "uint32",
        UInt64Type => "uint64",
        HalfFloatType => "float16",
        FloatType => "float32",
        DoubleType => "float64",
        Date32Type => "date32",
        Date64Type => "date64",
        StringViewType => "string_view",
        LargeStringType => "large_string",
        StringType => "string",
        BinaryViewType => "binary_view",
        LargeBinaryType => "large_binary",
        FixedSizeBinaryType f and not Decimal128Type and not Decimal256Type => $"fixed_size_binary[{f.ByteWidth}]",
        BinaryType => "binary",
        Time32Type t => $"time32[{Unit(t.Unit)}]",
        Time64Type t => $"time64[{Unit(t.Unit)}]",
        TimestampType t => string.IsNullOrEmpty(t.Timezone) ? $"timestamp[{Unit(t.Unit)}]" : $"timestamp[{Unit(t.Unit)}, tz={t.Timezone}]",
        DurationType d => $"duration[{Unit(d.Unit)}]",
        Decimal128Type d => $"decimal128({d.Precision}, {d.Scale})",
        Decimal256Type d => $"decimal256({d.Precision}, {d.Scale})",
        _ => type.Name,
    };

    private static string Unit(TimeUnit unit) => unit switch
    {
        TimeUnit.Second => "s",
        TimeUnit.Millisecond => "ms",
        TimeUnit.Microsecond => "us",
        _ => "ns",
    };
}
