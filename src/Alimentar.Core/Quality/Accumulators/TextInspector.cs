using System.Runtime.Intrinsics;
using System.Text;
using System.Text.Unicode;

using Alimentar.Semantics;

namespace Alimentar.Quality.Accumulators;

/// <summary>Byte-level checks on UTF-8 cells; no .NET strings on the common path.</summary>
public static class TextInspector
{
    private static ReadOnlySpan<byte> MojibakeLatin => [0xC3, 0x83, 0xC2];

    private static ReadOnlySpan<byte> MojibakeLatinExtended => [0xC3, 0x83, 0xC6];

    private static ReadOnlySpan<byte> MojibakeQuote => [0xC3, 0xA2, 0xE2, 0x82, 0xAC];

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0B or 0x0C;

    /// <summary>Invalid UTF-8, U+FFFD, mojibake, an embedded BOM, or C0/C1 controls other than tab, LF, CR.</summary>
    public static bool HasEncodingProblem(ReadOnlySpan<byte> v)
    {
        if (Ascii.IsValid(v))
        {
            return HasAsciiControl(v);
        }

        if (!Utf8.IsValid(v))
        {
            return true;
        }

        return HasAsciiControl(v)
            || v.IndexOf("\uFFFD"u8) >= 0
            || v.IndexOf("\uFEFF"u8) >= 0
            || v.IndexOf(MojibakeLatin) >= 0 // "Ã" followed by a Latin-1 supplement character: "Ã©"
            || v.IndexOf(MojibakeLatinExtended) >= 0
            || v.IndexOf(MojibakeQuote) >= 0 // "â€": "â€™", "â€œ"
            || HasC1Control(v);
    }

    private static bool HasAsciiControl(ReadOnlySpan<byte> v)
    {
        var span = v;
        while (true)
        {
            var i = span.IndexOfAnyInRange((byte)0, (byte)0x1F);
            if (i < 0)
            {
                return false;
            }

            if (span[i] is not ((byte)'\t' or (byte)'\n' or (byte)'\r'))
            {
                return true;
            }

            span = span[(i + 1)..];
        }
    }

    private static bool HasC1Control(ReadOnlySpan<byte> v)
    {
        for (var i = 0; i + 1 < v.Length; i++)
        {
            if (v[i] == 0xC2 && v[i + 1] is >= 0x80 and <= 0x9F)
            {
                return true;
            }
        }

        return false;
    }

    public static bool HasEdgeWhitespace(ReadOnlySpan<byte> v) =>
        v.Length > 0 && (IsSpace(v[0]) || IsSpace(v[^1]) || v[0] == 0xC2 && v.Length > 1 && v[1] == 0xA0);

    /// <summary>What one pass over a value's bytes tells.</summary>
    /// <remarks>
    /// The answers are bits of one byte rather than seven bool fields: built field by field, the struct was written
    /// as seven byte stores and read back as one 8-byte load, a store-forwarding stall on every text cell that cost
    /// more than the checks themselves.
    /// </remarks>
    public readonly struct TextShape(bool ascii, bool encodingProblem, bool edgeWhitespace, bool carriageReturn, bool lineFeed, bool tab, bool doubleSpace = false)
    {
        private readonly byte _bits = (byte)(Bit(ascii, 0) | Bit(encodingProblem, 1) | Bit(edgeWhitespace, 2) | Bit(carriageReturn, 3) | Bit(lineFeed, 4) | Bit(tab, 5) | Bit(doubleSpace, 6));

        public bool Ascii => (_bits & 1) != 0;

        public bool EncodingProblem => (_bits & 2) != 0;

        public bool EdgeWhitespace => (_bits & 4) != 0;

        public bool CarriageReturn => (_bits & 8) != 0;

        public bool LineFeed => (_bits & 16) != 0;

        public bool Tab => (_bits & 32) != 0;

        public bool DoubleSpace => (_bits & 64) != 0;

        private static int Bit(bool value, int position) => (value ? 1 : 0) << position;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static TextShape Inspect(ReadOnlySpan<byte> v)
    {
        var (ascii, control, doubleSpace) = Scan(v);
        var edge = HasEdgeWhitespace(v);
        if (!control)
        {
            return new TextShape(ascii, !ascii && HasEncodingProblem(v), edge, false, false, false, doubleSpace);
        }

        return new TextShape(ascii, HasEncodingProblem(v), edge, v.Contains((byte)'\r'), v.Contains((byte)'\n'), v.Contains((byte)'\t'), doubleSpace);
    }

    /// <summary>
    /// Three questions (any byte above 0x7F, any control byte, two spaces in a row) that took three library scans
    /// before: one vector pass answers all three for printable ASCII, the common case; the rest (non-ASCII or
    /// control bytes, rare) asks the library which of the two it is.
    /// </summary>
    public static (bool Ascii, bool Control, bool DoubleSpace) Scan(ReadOnlySpan<byte> v)
    {
        var (plain, doubleSpace) = ScanPlain(v);
        return plain ? (true, false, doubleSpace) : (Ascii.IsValid(v), v.IndexOfAnyInRange((byte)0, (byte)0x1F) >= 0, doubleSpace);
    }

    /// <summary>
    /// Whether every byte is printable ASCII (0x20-0x7F: no control byte, nothing above 0x7F), and whether two spaces
    /// follow each other. One signed byte comparison finds both kinds of exception, so the common case costs less
    /// than <see cref="Scan"/>.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static (bool Plain, bool DoubleSpace) ScanPlain(ReadOnlySpan<byte> v)
    {
        ref var start = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(v);
        var length = v.Length;
        if (Vector256.IsHardwareAccelerated && length >= 32)
        {
            var spaces = Vector256.Create((byte)' ');

            // As signed bytes, 0x80-0xFF are negative: "less than 0x20" catches them and the controls together.
            var printable = Vector256.Create((sbyte)0x20);
            var exceptions = Vector256<sbyte>.Zero;
            var previousSpace = 0u;
            var doubleSpace = 0u;
            var i = 0;
            for (; i <= length - 32; i += 32)
            {
                var block = Vector256.LoadUnsafe(ref start, (nuint)i);
                exceptions |= Vector256.LessThan(block.AsSByte(), printable);
                var space = Vector256.Equals(block, spaces).ExtractMostSignificantBits();
                doubleSpace |= (space & (space >> 1)) | (previousSpace & space & 1);
                previousSpace = space >> 31;
            }

            if (i < length)
            {
                // The last 32 bytes, overlapping what was read: every pair in them is inside this block.
                var block = Vector256.LoadUnsafe(ref start, (nuint)(length - 32));
                exceptions |= Vector256.LessThan(block.AsSByte(), printable);
                var space = Vector256.Equals(block, spaces).ExtractMostSignificantBits();
                doubleSpace |= space & (space >> 1);
            }

            return (exceptions == Vector256<sbyte>.Zero, doubleSpace != 0);
        }

        // Short values, and machines without 256-bit vectors: library scans, vectorised in their own way.
        return (!v.ContainsAnyExceptInRange((byte)0x20, (byte)0x7F), v.IndexOf("  "u8) >= 0);
    }

    /// <summary>True when <see cref="Semantics.TextNormalization.ForIdentity"/> would change nothing, from an <see cref="Inspect"/> result (no allocation).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static bool IsNormalizedFast(ReadOnlySpan<byte> v, bool code, TextShape shape)
    {
        if (!shape.Ascii || shape.CarriageReturn)
        {
            return false;
        }

        if (code)
        {
            return true;
        }

        return !shape.EdgeWhitespace && !shape.Tab && !shape.DoubleSpace && (!shape.LineFeed || v.IndexOf(" \n"u8) < 0);
    }

    /// <summary>Parses a numeric-looking value for numeric statistics.</summary>
    public static bool TryParseNumber(ReadOnlySpan<byte> v, out double value) =>
        System.Buffers.Text.Utf8Parser.TryParse(v, out value, out var consumed) && consumed == v.Length;
}
