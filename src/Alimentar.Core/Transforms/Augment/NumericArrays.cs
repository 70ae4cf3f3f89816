using System.Numerics;
using Apache.Arrow;

namespace Alimentar.Transforms.Augment;

/// <summary>Numeric Arrow arrays as doubles and back, keeping the column's type.</summary>
internal static class NumericArrays
{
    public static double Read(IArrowArray array, int index)
    {
        if (array.IsNull(index))
        {
            return double.NaN;
        }

        return array switch
        {
            Int8Array a => a.GetValue(index)!.Value,
            Int16Array a => a.GetValue(index)!.Value,
            Int32Array a => a.GetValue(index)!.Value,
            Int64Array a => a.GetValue(index)!.Value,
            UInt8Array a => a.GetValue(index)!.Value,
            UInt16Array a => a.GetValue(index)!.Value,
            UInt32Array a => a.GetValue(index)!.Value,
            UInt64Array a => a.GetValue(index)!.Value,
            FloatArray a => a.GetValue(index)!.Value,
            DoubleArray a => a.GetValue(index)!.Value,
            _ => double.NaN,
        };
    }

    /// <summary>An array of the same type as <paramref name="like"/>; NaN becomes null, integers are rounded.</summary>
    public static IArrowArray Build(IArrowArray like, IReadOnlyList<double> values) => like switch
    {
        Int8Array => Fill(new Int8Array.Builder(), values, v => (sbyte)Math.Round(v)),
        Int16Array => Fill(new Int16Array.Builder(), values, v => (short)Math.Round(v)),
        Int32Array => Fill(new Int32Array.Builder(), values, v => (int)Math.Round(v)),
        Int64Array => Fill(new Int64Array.Builder(), values, v => (long)Math.Round(v)),
        UInt8Array => Fill(new UInt8Array.Builder(), values, v => (byte)Math.Round(v)),
        UInt16Array => Fill(new UInt16Array.Builder(), values, v => (ushort)Math.Round(v)),
        UInt32Array => Fill(new UInt32Array.Builder(), values, v => (uint)Math.Round(v)),
        UInt64Array => Fill(new UInt64Array.Builder(), values, v => (ulong)Math.Round(v)),
        FloatArray => Fill(new FloatArray.Builder(), values, v => (float)v),
        _ => Fill(new DoubleArray.Builder(), values, v => v),
    };

    private static IArrowArray Fill<T, TArray, TBuilder>(PrimitiveArrayBuilder<T, TArray, TBuilder> builder, IReadOnlyList<double> values, Func<double, T> convert)
        where T : struct, INumber<T>
        where TArray : IArrowArray
        where TBuilder : class, IArrowArrayBuilder<TArray>
    {
        foreach (var v in values)
        {
            if (double.IsNaN(v))
            {
                builder.AppendNull();
            }
            else
            {
                builder.Append(convert(v));
            }
        }

        return builder.Build(default);
    }
}
