using System.Text;
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
    private readonly NullTokenSet _tokens;
    private readonly long[] _changed;
    private readonly long[] _madeMissing;
    private readonly long[] _repaired;

    public ColumnTransformer(Schema input, IReadOnlyCollection<string> drop, IReadOnlyDictionary<string, string> coerceTo, Func<string, bool>? repairText, Func<string, bool> isCode, NullTokenSet tokens)
    {
        _tokens = tokens;
        _kept = Enumerable.Range(0, input.FieldsList.Count).Where(i => !drop.Contains(input.FieldsList[i].Name)).ToArray();
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

    private IArrowArray Coerce(IArrowArray array, ArrowTypeId target, int k)
    {
        var length = array.Length;
        switch (target)
        {
            case ArrowTypeId.Int64:
                {
                    var builder = new Int64Array.Builder().Reserve(length);
                    for (var r = 0; r < length; r++)
                    {
                        if (Present(array, r, out var trimmed) && Semantics.ValueCoercion.TryCoerceInteger(trimmed, out var v))
                        {
                            builder.Append(v);
                            _changed[k]++;
                        }
                        else
                        {
                            CountMissing(array, r, k);
                            builder.AppendNull();
                        }
                    }

                    return builder.Build();
                }

            case ArrowTypeId.Double:
                {
                    var builder = new DoubleArray.Builder().Reserve(length);
                    for (var r = 0; r < length; r++)
                    {
                        if (Present(array, r, out var trimmed) && Semantics.ValueCoercion.TryCoerceDouble(trimmed, out var v))
                        {
                            builder.Append(v);
                            _changed[k]++;
                        }
                        else
                        {
                            CountMissing(array, r, k);
                            builder.AppendNull();
                        }
                    }

                    return builder.Build();
                }

            default:
                {
                    var builder = new BooleanArray.Builder().Reserve(length);
                    for (var r = 0; r < length; r++)
                    {
                        if (Present(array, r, out var trimmed) && Semantics.ValueCoercion.TryBoolean(trimmed, out var v))
                        {
                            builder.Append(v);
                            _changed[k]++;
                        }
                        else
                        {
                            CountMissing(array, r, k);
                            builder.AppendNull();
                        }
                    }

                    return builder.Build();
                }
        }
    }

    private bool Present(IArrowArray array, int row, out ReadOnlySpan<byte> trimmed)
    {
        trimmed = default;
        if (array.IsNull(row))
        {
            return false;
        }

        trimmed = MissingCell.Trim(Bytes(array, row));
        return !(trimmed.IsEmpty || _tokens.Matches(trimmed));
    }

    // A cell that was present but is not of the column's class: coercion makes it missing, and the summary says so.
    private void CountMissing(IArrowArray array, int row, int k)
    {
        if (!array.IsNull(row) && !MissingCell.IsMissing(Bytes(array, row), _tokens))
        {
            _madeMissing[k]++;
        }
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
