using Alimentar.Semantics;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace Alimentar.Data.Lossless;

/// <summary>
/// CSV, TSV, JSON and JSON Lines as typed Arrow batches. A first pass types each column: int64 when every present
/// value is an integer as written ("007" is not), double when every one is a plain number, boolean for true/false,
/// otherwise UTF-8 text kept byte for byte. Missing cells (empty, whitespace-only or a null token) become nulls in
/// typed columns; text columns keep them as written. JSON strings stay strings even when they look like numbers,
/// and nested JSON values are kept as their JSON text.
/// </summary>
internal sealed class TextBatchSource : IRecordBatchSource
{
    private readonly IDataSource _source;
    private readonly NullTokenSet _tokens;
    private readonly ArrowTypeId[] _types;

    public TextBatchSource(IDataSource source, NullTokenSet tokens)
    {
        _source = source;
        _tokens = tokens;
        Path = source.Path;
        _types = InferTypes();
        Schema = new Schema(
            source.Columns.Select((c, i) => new Field(c.Name, TypeOf(_types[i]), nullable: true)).ToList(),
            new Dictionary<string, string> { ["alimentar.source_format"] = source.Format.ToString().ToLowerInvariant() });
    }

    public string Path { get; }

    public Schema Schema { get; }

    public IEnumerable<RecordBatch> Batches()
    {
        foreach (var part in _source.Parts())
        {
            var arrays = new IArrowArray[_types.Length];
            var length = 0;
            for (var c = 0; c < _types.Length; c++)
            {
                var batch = part.ReadColumn(c);
                length = batch.Length;
                arrays[c] = Build((BytesColumnBatch)batch, _types[c]);
            }

            part.Release();
            yield return new RecordBatch(Schema, arrays, length);
        }
    }

    public void Dispose() => _source.Dispose();

    private static IArrowType TypeOf(ArrowTypeId id) => id switch
    {
        ArrowTypeId.Int64 => Int64Type.Default,
        ArrowTypeId.Double => DoubleType.Default,
        ArrowTypeId.Boolean => BooleanType.Default,
        _ => StringType.Default,
    };

    private ArrowTypeId[] InferTypes()
    {
        var count = _source.Columns.Count;
        var canInt = Enumerable.Repeat(true, count).ToArray();
        var canDouble = Enumerable.Repeat(true, count).ToArray();
        var canBool = Enumerable.Repeat(true, count).ToArray();
        var any = new bool[count];
        foreach (var part in _source.Parts())
        {
            for (var c = 0; c < count; c++)
            {
                if (!(canInt[c] || canDouble[c] || canBool[c]))
                {
                    continue;
                }

                var batch = (BytesColumnBatch)part.ReadColumn(c);

                for (var r = 0; r < batch.Length; r++)
                {
                    if (batch.IsNull(r))
                    {
                        continue;
                    }

                    var kind = batch.JsonKinds?[r] ?? JsonValueKind2.None;
                    var value = batch.Value(r);
                    if (kind is not (JsonValueKind2.None or JsonValueKind2.Number or JsonValueKind2.Boolean))
                    {
                        if (kind == JsonValueKind2.String && MissingCell.IsMissing(value, _tokens))
                        {
                            continue;
                        }

                        canInt[c] = canDouble[c] = canBool[c] = false;
                        break;
                    }

                    if (kind == JsonValueKind2.None && MissingCell.IsMissing(value, _tokens))
                    {
                        continue;
                    }

                    any[c] = true;
                    canInt[c] &= ValueCoercion.TryCanonicalInteger(value, out _);
                    canDouble[c] &= ValueCoercion.TryPlainDouble(value, out _);
                    canBool[c] &= ValueCoercion.TryBoolean(value, out _);
                    if (!(canInt[c] || canDouble[c] || canBool[c]))
                    {
                        break;
                    }
                }
            }

            part.Release();
        }

        return Enumerable.Range(0, count).Select(c =>
            !any[c] ? ArrowTypeId.String
            : canInt[c] ? ArrowTypeId.Int64
            : canDouble[c] ? ArrowTypeId.Double
            : canBool[c] ? ArrowTypeId.Boolean
            : ArrowTypeId.String).ToArray();
    }

    // Typing guarantees every present value parses; missing cells (tokens, blanks) do not, and become nulls.
    private static CellConverter<T> Parsed<T>(BytesColumnBatch bytes, TextParser<T> parse) =>
        (int row, out T value) =>
        {
            value = default!;
            return !bytes.IsNull(row) && parse(bytes.Value(row), out value);
        };

    // The CSV and JSON readers hand out every column as text (BytesColumnBatch); typing happens here.
    private static IArrowArray Build(BytesColumnBatch bytes, ArrowTypeId type)
    {
        switch (type)
        {
            case ArrowTypeId.Int64:
                return TypedArrays.Build<long, Int64Array, Int64Array.Builder>(new Int64Array.Builder(), bytes.Length, Parsed<long>(bytes, ValueCoercion.TryCanonicalInteger));
            case ArrowTypeId.Double:
                return TypedArrays.Build<double, DoubleArray, DoubleArray.Builder>(new DoubleArray.Builder(), bytes.Length, Parsed<double>(bytes, ValueCoercion.TryPlainDouble));
            case ArrowTypeId.Boolean:
                return TypedArrays.Build<bool, BooleanArray, BooleanArray.Builder>(new BooleanArray.Builder(), bytes.Length, Parsed<bool>(bytes, ValueCoercion.TryBoolean));
            default:
                {
                    var builder = new StringArray.Builder();
                    for (var r = 0; r < bytes.Length; r++)
                    {
                        if (bytes.IsNull(r))
                        {
                            builder.AppendNull();
                        }
                        else
                        {
                            builder.Append(bytes.Value(r));
                        }
                    }

                    return builder.Build();
                }
        }
    }
}
