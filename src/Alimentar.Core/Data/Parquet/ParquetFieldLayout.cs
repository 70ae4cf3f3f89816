using ParquetSharp;
using ParquetSharp.Schema;

namespace Alimentar.Data.Parquet;

/// <summary>How one top-level field maps onto Parquet leaf columns.</summary>
internal sealed record ParquetFieldLayout(
    string Name,
    int[] Leaves,
    bool IsFlat,
    bool RootOptional,
    PhysicalType Physical,
    LogicalTypeEnum Logical,
    bool LogicalKnown,
    ConvertedType Converted,
    int TypeLength,
    int Scale,
    ColumnInfo Info)
{
    /// <summary>For dates, timestamps and times: what the stored integers count.</summary>
    public Semantics.TemporalUnit? Temporal { get; init; }

    public static IReadOnlyList<ParquetFieldLayout> FromSchema(SchemaDescriptor schema)
    {
        var byRoot = new List<(Node Root, List<int> Leaves)>();
        for (var i = 0; i < schema.NumColumns; i++)
        {
            var root = schema.ColumnRoot(i);
            var last = byRoot.Count > 0 ? byRoot[^1] : default;
            if (last.Root is not null && ReferenceEquals(last.Root, root) || (last.Root is not null && last.Root.Equals(root)))
            {
                last.Leaves.Add(i);
            }
            else
            {
                byRoot.Add((root, [i]));
            }
        }

        var fields = new List<ParquetFieldLayout>(byRoot.Count);
        foreach (var (root, leaves) in byRoot)
        {
            var first = schema.Column(leaves[0]);
            var flat = leaves.Count == 1 && first.MaxRepetitionLevel == 0 && root.NodeType == NodeType.Primitive;
            var (logical, known) = SafeLogical(first);
            var converted = first.SchemaNode.ConvertedType;
            ColumnInfo info;
            if (flat)
            {
                info = DescribePrimitive(root.Name, first, logical, known, converted);
            }
            else
            {
                info = new ColumnInfo(root.Name, ColumnKind.Nested, DescribeNested(root), NestingDepth: Depth(root));
            }

            fields.Add(new ParquetFieldLayout(
                root.Name,
                leaves.ToArray(),
                flat,
                root.Repetition == Repetition.Optional,
                first.PhysicalType,
                logical,
                known,
                converted,
                first.TypeLength,
                SafeScale(first),
                info)
            { Temporal = flat ? TemporalOf(first, logical, converted) : null });
        }

        return fields;
    }

    private static Semantics.TemporalUnit? TemporalOf(ColumnDescriptor column, LogicalTypeEnum logical, ConvertedType converted)
    {
        const long nanosPerDay = 86_400_000_000_000L;
        var physical = column.PhysicalType;
        if (physical == PhysicalType.Int96)
        {
            // Arrow readers give INT96 as a zoneless nanosecond timestamp; so must identity.
            return new(Semantics.TemporalKind.LocalDateTime, 1);
        }

        try
        {
            return (logical, converted) switch
            {
                (LogicalTypeEnum.Date, _) or (_, ConvertedType.Date) => new(Semantics.TemporalKind.Date, nanosPerDay),
                (LogicalTypeEnum.Timestamp, _) when column.LogicalType is TimestampLogicalType t =>
                    new(t.IsAdjustedToUtc ? Semantics.TemporalKind.Instant : Semantics.TemporalKind.LocalDateTime, Nanos(t.TimeUnit)),
                (LogicalTypeEnum.Time, _) when column.LogicalType is TimeLogicalType t => new(Semantics.TemporalKind.TimeOfDay, Nanos(t.TimeUnit)),
                (_, ConvertedType.TimestampMillis) => new(Semantics.TemporalKind.Instant, 1_000_000),
                (_, ConvertedType.TimestampMicros) => new(Semantics.TemporalKind.Instant, 1_000),
                (_, ConvertedType.TimeMillis) => new(Semantics.TemporalKind.TimeOfDay, 1_000_000),
                (_, ConvertedType.TimeMicros) => new(Semantics.TemporalKind.TimeOfDay, 1_000),
                _ => null,
            };
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    private static long Nanos(TimeUnit unit) => unit switch
    {
        TimeUnit.Millis => 1_000_000,
        TimeUnit.Micros => 1_000,
        _ => 1,
    };

    private static int SafeScale(ColumnDescriptor column)
    {
        try
        {
            return column.TypeScale;
        }
        catch (Exception)
        {
            return 0;
        }
    }

    private static (LogicalTypeEnum Logical, bool Known) SafeLogical(ColumnDescriptor column)
    {
        try
        {
            return (column.LogicalType.Type, true);
        }
        catch (ArgumentOutOfRangeException)
        {
            // ParquetSharp throws for logical types newer than it knows (GEOMETRY, unknown ids).
            return (LogicalTypeEnum.Undefined, false);
        }
    }

    private static int Depth(Node node) =>
        node is GroupNode group && group.FieldCount > 0 ? 1 + group.Fields.Max(Depth) : 0;

    private static string DescribeNested(Node node)
    {
        if (node is not GroupNode group)
        {
            return node.Repetition == Repetition.Repeated ? "list" : "primitive";
        }

        var logical = SafeNodeLogical(group);
        if (logical == LogicalTypeEnum.List || group.ConvertedType == ConvertedType.List || group.Repetition == Repetition.Repeated)
        {
            return "list";
        }

        if (logical == LogicalTypeEnum.Map || group.ConvertedType is ConvertedType.Map or ConvertedType.MapKeyValue)
        {
            return "map";
        }

        return group.FieldCount == 0 ? "struct<>" : "struct";
    }

    private static LogicalTypeEnum SafeNodeLogical(Node node)
    {
        try
        {
            return node.LogicalType.Type;
        }
        catch (ArgumentOutOfRangeException)
        {
            return LogicalTypeEnum.Undefined;
        }
    }

    private static ColumnInfo DescribePrimitive(string name, ColumnDescriptor column, LogicalTypeEnum logical, bool known, ConvertedType converted)
    {
        if (!known)
        {
            return new ColumnInfo(name, ColumnKind.Unsupported, "unknown logical type");
        }

        var physical = column.PhysicalType;
        if (logical == LogicalTypeEnum.Nil)
        {
            return new ColumnInfo(name, ColumnKind.Null, "null");
        }

        if (logical == LogicalTypeEnum.Decimal || converted == ConvertedType.Decimal)
        {
            return new ColumnInfo(name, ColumnKind.Decimal, $"decimal({column.TypePrecision},{column.TypeScale})");
        }

        return physical switch
        {
            PhysicalType.Boolean => new ColumnInfo(name, ColumnKind.Boolean, "bool"),
            PhysicalType.Int32 when logical == LogicalTypeEnum.Date || converted == ConvertedType.Date => new ColumnInfo(name, ColumnKind.Temporal, "date32"),
            PhysicalType.Int32 when logical == LogicalTypeEnum.Time => new ColumnInfo(name, ColumnKind.Temporal, "time32"),
            PhysicalType.Int32 => new ColumnInfo(name, ColumnKind.Integer, "int32"),
            PhysicalType.Int64 when logical is LogicalTypeEnum.Timestamp or LogicalTypeEnum.Time
                || converted is ConvertedType.TimestampMicros or ConvertedType.TimestampMillis => new ColumnInfo(name, ColumnKind.Temporal, "timestamp"),
            PhysicalType.Int64 => new ColumnInfo(name, ColumnKind.Integer, "int64"),
            PhysicalType.Int96 => new ColumnInfo(name, ColumnKind.Temporal, "int96 timestamp"),
            PhysicalType.Float => new ColumnInfo(name, ColumnKind.Float, "float"),
            PhysicalType.Double => new ColumnInfo(name, ColumnKind.Float, "double"),
            PhysicalType.ByteArray when logical is LogicalTypeEnum.String or LogicalTypeEnum.Enum or LogicalTypeEnum.Json
                || converted is ConvertedType.UTF8 or ConvertedType.Enum or ConvertedType.Json => new ColumnInfo(name, ColumnKind.String, logical == LogicalTypeEnum.Json ? "json" : "string"),
            PhysicalType.FixedLenByteArray when logical == LogicalTypeEnum.Float16 => new ColumnInfo(name, ColumnKind.Float, "float16"),
            PhysicalType.FixedLenByteArray when logical == LogicalTypeEnum.Uuid => new ColumnInfo(name, ColumnKind.Binary, "uuid"),
            PhysicalType.FixedLenByteArray => new ColumnInfo(name, ColumnKind.Binary, $"fixed_size_binary[{column.TypeLength}]"),
            PhysicalType.ByteArray when logical == LogicalTypeEnum.Bson => new ColumnInfo(name, ColumnKind.Binary, "bson"),
            _ => new ColumnInfo(name, ColumnKind.Binary, "binary"),
        };
    }
}
