using System.Text;
using Alimentar.Data.Lossless;
using Alimentar.Semantics;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace Alimentar.Transforms.Clean;

/// <summary>
/// The column steps of <c>clean</c> over record batches: drop columns, coerce text columns to their dominant class,
/// repair text. Only the columns a step changes are rebuilt; every other array passes through as it was read.
/// </summary>
internal sealed class ColumnTransformer
{
    private readonly int[] _kept;
    private readonly ColumnStep[] _steps;
    private readonly NullTokenSet[] _tokens;
    private readonly long[] _changed;
    private readonly long[] _madeMissing;
    private readonly long[] _repaired;

    public ColumnTransformer(Schema input, IReadOnlyCollection<string> drop, IReadOnlyDictionary<string, string> coerceTo, Func<string, bool>? repairText, Func<string, bool> isCode, Func<string, NullTokenSet> tokensOf)
    {
        _kept = Enumerable.Range(0, input.FieldsList.Count).Where(i => !drop.Contains(input.FieldsList[i].Name)).ToArray();
        _tokens = _kept.Select(i => tokensOf(input.FieldsList[i].Name)).ToArray();
        _steps = new ColumnStep[_kept.Length];
        var fields = new List<Field>();
        for (var k = 0; k < _kept.Length; k++)
        {
            var field = input.FieldsList[_kept[k]];
            var isString = field.DataType.TypeId is ArrowTypeId.String or ArrowTypeId.LargeString;
            var target = isString && coerceTo.TryGetValue(field.Name, out var cls) ? cls switch
            {
                "integer" => ArrowTypeId.Int64,
                "decimal" => ArrowTypeId.Double,
                "boolean" => ArrowTypeId.Boolean,
                _ => (ArrowTypeId?)null,
            } : null;
            var repair = target is null && field.DataType.TypeId == ArrowTypeId.String && repairText is not null && repairText(field.Name);
            _steps[k] = new ColumnStep(target, repair, isCode(field.Name));
            fields.Add(target switch
            {
                ArrowTypeId.Int64 => new Field(field.Name, Int64Type.Default, true, field.Metadata),
                ArrowTypeId.Double => new Field(field.Name, DoubleType.Default, true, field.Metadata),
                ArrowTypeId.Boolean => new Field(field.Name, BooleanType.Default, true, field.Metadata),
                _ => field,
            });
        }

        Schema = new Schema(fields, input.Metadata);
        _changed = new long[_kept.Length];
        _madeMissing = new long[_kept.Length];
        _repaired = new long[_kept.Length];
    }

    public Schema Schema { get; }

    public bool ChangesAnything => _kept.Length != _steps.Length || _steps.Any(s => s.CoerceTo is not null || s.Repair);

    public RecordBatch Apply(RecordBatch batch)
    {
        var columns = new IArrowArray[_kept.Length];
        for (var k = 0; k < _kept.Length; k++)
        {
            var array = batch.Column(_kept[k]);
            var step = _steps[k];
            columns[k] = step.CoerceTo is { } target ? Coerce(array, target, k)
                : step.Repair ? Repair(array, step.Code, k)
                : array;
        }

        return new RecordBatch(Schema, columns, batch.Length);
    }

    public IEnumerable<CellChanges> Changes()
    {
        for (var k = 0; k < _kept.Length; k++)
        {
            if (_steps[k].CoerceTo is not null)
            {
                yield return new CellChanges("validate-types", Schema.FieldsList[k].Name, _changed[k], _madeMissing[k]);
            }
            else if (_steps[k].Repair)
            {
                yield return new CellChanges("normalize-text", Schema.FieldsList[k].Name, _repaired[k]);
            }
        }
    }

    private static ReadOnlySpan<byte> Bytes(IArrowArray array, int row) => array switch
    {
        StringArray s => s.GetBytes(row, out _),
        LargeStringArray s => Encoding.UTF8.GetBytes(s.GetString(row)),
        _ => throw new InvalidOperationException("not a text array"),
    };

    private IArrowArray Coerce(IArrowArray array, ArrowTypeId target, int k) => target switch
    {
        ArrowTypeId.Int64 => TypedArrays.Build<long, Int64Array, Int64Array.Builder>(new Int64Array.Builder(), array.Length, (int r, out long v) => Convert(array, r, k, ValueCoercion.TryCoerceInteger, out v)),
        ArrowTypeId.Double => TypedArrays.Build<double, DoubleArray, DoubleArray.Builder>(new DoubleArray.Builder(), array.Length, (int r, out double v) => Convert(array, r, k, ValueCoercion.TryCoerceDouble, out v)),
        _ => TypedArrays.Build<bool, BooleanArray, BooleanArray.Builder>(new BooleanArray.Builder(), array.Length, (int r, out bool v) => Convert(array, r, k, ValueCoercion.TryBoolean, out v)),
    };

    // A present cell that converts counts as changed; one that does not becomes missing, and the summary says so.
    private bool Convert<T>(IArrowArray array, int row, int k, TextParser<T> parse, out T value)
    {
        value = default!;
        if (array.IsNull(row))
        {
            return false;
        }

        var trimmed = MissingCell.Trim(Bytes(array, row));
        if (trimmed.IsEmpty || _tokens[k].Matches(trimmed))
        {
            return false;
        }

        if (parse(trimmed, out value))
        {
            _changed[k]++;
            return true;
        }

        _madeMissing[k]++;
        return false;
    }

    private IArrowArray Repair(IArrowArray array, bool code, int k)
    {
        var length = array.Length;
        var any = false;
        for (var r = 0; r < length && !any; r++)
        {
            any = !array.IsNull(r) && !TextNormalization.IsRepaired(Bytes(array, r), code);
        }

        if (!any)
        {
            return array;
        }

        var builder = new StringArray.Builder();
        for (var r = 0; r < length; r++)
        {
            if (array.IsNull(r))
            {
                builder.AppendNull();
                continue;
            }

            var bytes = Bytes(array, r);
            if (TextNormalization.IsRepaired(bytes, code))
            {
                builder.Append(bytes);
            }
            else
            {
                var original = Encoding.UTF8.GetString(bytes);
                var repaired = TextNormalization.ForRepair(original, code);
                if (repaired != original)
                {
                    _repaired[k]++;
                }

                builder.Append(repaired);
            }
        }

        return builder.Build();
    }

    private readonly record struct ColumnStep(ArrowTypeId? CoerceTo, bool Repair, bool Code);
}
