using Apache.Arrow;

namespace Alimentar.Data.Lossless;

/// <summary>Converts one row's cell; false leaves the row null.</summary>
internal delegate bool CellConverter<T>(int row, out T value);

/// <summary>Parses UTF-8 text into a value of a column's class.</summary>
internal delegate bool TextParser<T>(ReadOnlySpan<byte> text, out T value);

/// <summary>Builds typed Arrow arrays row by row from a converter (text typing and type coercion share it).</summary>
internal static class TypedArrays
{
    public static TArray Build<T, TArray, TBuilder>(TBuilder builder, int length, CellConverter<T> convert)
        where TArray : IArrowArray
        where TBuilder : IArrowArrayBuilder<T, TArray, TBuilder>
    {
        builder.Reserve(length);
        for (var r = 0; r < length; r++)
        {
            if (convert(r, out var value))
            {
                builder.Append(value);
            }
            else
            {
                builder.AppendNull();
            }
        }

        return builder.Build(default!);
    }
}
