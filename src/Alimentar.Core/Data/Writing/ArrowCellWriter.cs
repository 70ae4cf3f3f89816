using System.Globalization;
using System.Text.Json;
using Apache.Arrow;
using Apache.Arrow.Arrays;
using Apache.Arrow.Types;

namespace Alimentar.Data.Writing;

/// <summary>
/// Arrow cells as JSON values (for JSON Lines, and nested cells in CSV) and as CSV text. Numbers are written in
/// their shortest round-tripping form, timestamps as ISO 8601 (with the zone when the column has one), binary as
/// base64, decimals exactly.
/// </summary>
internal static class ArrowCellWriter
{
    public static void WriteJson(Utf8JsonWriter json, IArrowArray array, int index)
    {
        if (array.IsNull(index))
        {
            json.WriteNullValue();
            return;
        }

        switch (array)
        {
            case StringArray s:
                json.WriteStringValue(s.GetBytes(index, out _));
                return;
            case LargeStringArray s:
                json.WriteStringValue(s.GetString(index));
                return;
            case BooleanArray b:
                json.WriteBooleanValue(b.GetValue(index)!.Value);
                return;
            case DoubleArray d:
                WriteDouble(json, d.GetValue(index)!.Value);
                return;
            case FloatArray f:
                WriteDouble(json, f.GetValue(index)!.Value);
                return;
            case HalfFloatArray h:
                WriteDouble(json, (double)h.GetValue(index)!.Value);
                return;
            case Int8Array or Int16Array or Int32Array or Int64Array or UInt8Array or UInt16Array or UInt32Array or UInt64Array:
                json.WriteRawValue(Scalar(array, index), skipInputValidation: true);
                return;
            case Decimal128Array or Decimal256Array:
                json.WriteRawValue(Scalar(array, index), skipInputValidation: true);
                return;
            case MapArray map:
                {
                    json.WriteStartArray();
                    for (var i = map.ValueOffsets[index]; i < map.ValueOffsets[index + 1]; i++)
                    {
                        json.WriteStartObject();
                        json.WritePropertyName("key");
                        WriteJson(json, map.Keys, i);
                        json.WritePropertyName("value");
                        WriteJson(json, map.Values, i);
                        json.WriteEndObject();
                    }

                    json.WriteEndArray();
                    return;
                }

            case ListArray list:
                WriteList(json, list.Values, list.ValueOffsets[index], list.ValueOffsets[index + 1]);
                return;
            case LargeListArray list:
                WriteList(json, list.Values, (int)list.ValueOffsets[index], (int)list.ValueOffsets[index + 1]);
                return;
            case FixedSizeListArray list:
                {
                    var size = ((FixedSizeListType)list.Data.DataType).ListSize;
                    WriteList(json, list.Values, (index + list.Offset) * size, (index + list.Offset + 1) * size, offsetApplied: true);
                    return;
                }

            case StructArray st:
                {
                    var type = (StructType)st.Data.DataType;
                    json.WriteStartObject();
                    for (var f = 0; f < type.Fields.Count; f++)
                    {
                        json.WritePropertyName(type.Fields[f].Name);
                        WriteJson(json, st.Fields[f], index);
                    }

                    json.WriteEndObject();
                    return;
                }

            case DictionaryArray dictionary:
                WriteJson(json, dictionary.Dictionary, DictionaryIndex(dictionary, index));
                return;
            case BinaryArray bin:
                json.WriteBase64StringValue(bin.GetBytes(index));
                return;
            case FixedSizeBinaryArray fixedBinary:
                json.WriteBase64StringValue(fixedBinary.GetBytes(index));
                return;
            case NullArray:
                json.WriteNullValue();
                return;
            default:
                json.WriteStringValue(Scalar(array, index));
                return;
        }
    }

    /// <summary>A cell as CSV text (before quoting); nested values as JSON.</summary>
    public static string Text(IArrowArray array, int index)
    {
        if (array.IsNull(index))
        {
            return string.Empty;
        }

        return array switch
        {
            StringArray s => s.GetString(index),
            LargeStringArray s => s.GetString(index),
            BooleanArray b => b.GetValue(index)!.Value ? "true" : "false",
            DictionaryArray d => Text(d.Dictionary, DictionaryIndex(d, index)),
            ListArray or LargeListArray or FixedSizeListArray or StructArray or MapArray => JsonText(array, index),

            // Decimal arrays are fixed-size binary underneath: they must be matched first, or they come out as base64.
            Decimal128Array or Decimal256Array => Scalar(array, index),
            BinaryArray b => Convert.ToBase64String(b.GetBytes(index)),
            FixedSizeBinaryArray b => Convert.ToBase64String(b.GetBytes(index)),
            _ => Scalar(array, index),
        };
    }

    private static string JsonText(IArrowArray array, int index)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            WriteJson(json, array, index);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Scalar(IArrowArray array, int index) => array switch
    {
        Int8Array a => a.GetValue(index)!.Value.ToString(CultureInfo.InvariantCulture),
        Int16Array a => a.GetValue(index)!.Value.ToString(CultureInfo.InvariantCulture),
        Int32Array a => a.GetValue(index)!.Value.ToString(CultureInfo.InvariantCulture),
        Int64Array a => a.GetValue(index)!.Value.ToString(CultureInfo.InvariantCulture),
        UInt8Array a => a.GetValue(index)!.Value.ToString(CultureInfo.InvariantCulture),
        UInt16Array a => a.GetValue(index)!.Value.ToString(CultureInfo.InvariantCulture),
        UInt32Array a => a.GetValue(index)!.Value.ToString(CultureInfo.InvariantCulture),
        UInt64Array a => a.GetValue(index)!.Value.ToString(CultureInfo.InvariantCulture),
        DoubleArray a => Double(a.GetValue(index)!.Value),
        FloatArray a => Double(a.GetValue(index)!.Value),
        HalfFloatArray a => Double((double)a.GetValue(index)!.Value),
        Decimal128Array a => a.GetString(index)!,
        Decimal256Array a => a.GetString(index)!,
        Date32Array a => a.GetDateOnly(index)!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        Date64Array a => a.GetDateOnly(index)!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        TimestampArray a => Timestamp(a, index),
        Time32Array a => TimeOfDay(a.GetValue(index)!.Value, Semantics.TemporalUnit.Nanos(((Time32Type)a.Data.DataType).Unit)),
        Time64Array a => TimeOfDay(a.GetValue(index)!.Value, Semantics.TemporalUnit.Nanos(((Time64Type)a.Data.DataType).Unit)),
        // Intervals and other fixed-width types with no text form of ours: their bytes, as binary values are written,
        // so that a file holding them is scored and cleaned rather than refused at its first value.
        _ when array.Data.DataType is FixedWidthType { BitWidth: > 0 and var bits } && bits % 8 == 0
            => Convert.ToBase64String(array.Data.Buffers[1].Span.Slice((array.Offset + index) * (bits / 8), bits / 8)),
        _ => throw new NotSupportedException($"cannot write a value of Arrow type {array.Data.DataType.Name} as text"),
    };

    // ISO 8601 to the nanosecond (DateTime's ticks would drop a nanosecond column's last two digits), in UTC with
    // 'Z' when the column has a zone: the spelling CellIdentity reads back as the same instant.
    private static string Timestamp(TimestampArray array, int index)
    {
        var type = (TimestampType)array.Data.DataType;
        var nanos = (Int128)array.GetValue(index)!.Value * Semantics.TemporalUnit.Nanos(type.Unit);
        const long nanosPerDay = 86_400_000_000_000L;
        var days = (long)Int128.DivRem(nanos, nanosPerDay).Quotient;
        var ofDay = (long)(nanos - ((Int128)days * nanosPerDay));
        if (ofDay < 0)
        {
            days--;
            ofDay += nanosPerDay;
        }

        var date = DateOnly.FromDayNumber(checked((int)(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + days)));
        var text = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T" + TimeOfDay(ofDay, 1);
        return string.IsNullOrEmpty(type.Timezone) ? text : text + "Z";
    }

    private static string TimeOfDay(long value, long nanosPerUnit)
    {
        var nanos = value * nanosPerUnit;
        var seconds = nanos / 1_000_000_000;
        var fraction = nanos % 1_000_000_000;
        var text = $"{seconds / 3600:00}:{seconds / 60 % 60:00}:{seconds % 60:00}";
        return fraction == 0 ? text : text + "." + fraction.ToString("000000000", CultureInfo.InvariantCulture).TrimEnd('0');
    }

    private static string Double(double value) =>
        double.IsNaN(value) ? "NaN"
        : double.IsPositiveInfinity(value) ? "Infinity"
        : double.IsNegativeInfinity(value) ? "-Infinity"
        : value.ToString("R", CultureInfo.InvariantCulture);

    private static void WriteDouble(Utf8JsonWriter json, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumberValue(value);
        }
        else
        {
            // JSON has no NaN or infinity; a string keeps the value visible instead of silently dropping it.
            json.WriteStringValue(Double(value));
        }
    }

    private static void WriteList(Utf8JsonWriter json, IArrowArray values, int start, int end, bool offsetApplied = false)
    {
        _ = offsetApplied;
        json.WriteStartArray();
        for (var i = start; i < end; i++)
        {
            WriteJson(json, values, i);
        }

        json.WriteEndArray();
    }

    internal static int DictionaryIndex(DictionaryArray array, int index) => array.Indices switch
    {
        Int8Array i => i.GetValue(index)!.Value,
        Int16Array i => i.GetValue(index)!.Value,
        Int32Array i => i.GetValue(index)!.Value,
        Int64Array i => checked((int)i.GetValue(index)!.Value),
        UInt8Array i => i.GetValue(index)!.Value,
        UInt16Array i => i.GetValue(index)!.Value,
        UInt32Array i => checked((int)i.GetValue(index)!.Value),
        _ => checked((int)((UInt64Array)array.Indices).GetValue(index)!.Value),
    };
}
