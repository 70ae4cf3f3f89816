using System.Globalization;

namespace Alimentar.Hub.Http;

/// <summary>How a file download answers a <c>Range</c> request header.</summary>
internal enum RangeAnswer
{
    /// <summary>No usable range (malformed, several ranges): the whole file, 200, as RFC 9110 allows.</summary>
    Whole,

    /// <summary>Bytes [From, To], 206.</summary>
    Partial,

    /// <summary>A well-formed range that starts past the end: 416.</summary>
    Unsatisfiable,
}

/// <summary>
/// The part of a file of known length a <c>Range</c> header asks for: a single <c>bytes=a-b</c>, <c>bytes=a-</c> or
/// <c>bytes=-n</c>. Whatever the header, <see cref="From"/> and <see cref="To"/> lie within the file when the answer
/// is partial (the fuzzer checks it), and no header throws.
/// </summary>
internal readonly record struct ByteRange(RangeAnswer Answer, long From, long To)
{
    public static ByteRange For(string header, long length)
    {
        var whole = new ByteRange(RangeAnswer.Whole, 0, length - 1);
        if (!header.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase) || header.Contains(',', StringComparison.Ordinal))
        {
            return whole;
        }

        var spec = header[6..].Trim().Split('-');
        if (spec.Length != 2)
        {
            return whole;
        }

        if (spec[0].Length == 0)
        {
            if (!long.TryParse(spec[1], NumberStyles.None, CultureInfo.InvariantCulture, out var suffix))
            {
                return whole;
            }

            return suffix <= 0 || length == 0
                ? new ByteRange(RangeAnswer.Unsatisfiable, 0, -1)
                : new ByteRange(RangeAnswer.Partial, Math.Max(0, length - suffix), length - 1);
        }

        if (!long.TryParse(spec[0], NumberStyles.None, CultureInfo.InvariantCulture, out var from))
        {
            return whole;
        }

        var to = length - 1;
        if (spec[1].Length > 0)
        {
            if (!long.TryParse(spec[1], NumberStyles.None, CultureInfo.InvariantCulture, out to) || to < from)
            {
                return whole;
            }

            to = Math.Min(to, length - 1);
        }

        return from >= length ? new ByteRange(RangeAnswer.Unsatisfiable, 0, -1) : new ByteRange(RangeAnswer.Partial, from, to);
    }
}
