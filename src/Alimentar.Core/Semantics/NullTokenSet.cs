using System.Text;

namespace Alimentar.Semantics;

/// <summary>
/// Null tokens of any length and script, compared with a trimmed value case-insensitively (invariant lower case).
/// ASCII values, the common case, are compared as bytes without allocating.
/// </summary>
public sealed class NullTokenSet
{
    private readonly byte[][] _asciiTokens;
    private readonly HashSet<string> _tokens;

    public NullTokenSet(IEnumerable<string> tokens)
    {
        _tokens = new HashSet<string>(tokens.Select(Canonical).Where(t => t.Length > 0), StringComparer.Ordinal);
        _asciiTokens = _tokens.Where(t => Ascii.IsValid(t)).Select(Encoding.ASCII.GetBytes).ToArray();
        MaxAsciiBytes = _asciiTokens.Length == 0 ? 0 : _asciiTokens.Max(t => t.Length);
        var maxBytes = _tokens.Count == 0 ? 0 : _tokens.Max(t => Encoding.UTF8.GetByteCount(t));

        // Lower-casing can change a value's UTF-8 length (a few letters grow or shrink by a byte or two), so values
        // up to three times the longest token's bytes are compared; longer ones cannot be a token.
        MaxBytes = maxBytes * 3;
    }

    public static NullTokenSet Empty { get; } = new([]);

    public IReadOnlyCollection<string> Tokens => _tokens;

    /// <summary>Byte length of the longest all-ASCII token: a longer ASCII value is never a token.</summary>
    public int MaxAsciiBytes { get; }

    /// <summary>A value (trimmed) longer than this many bytes is never a token.</summary>
    public int MaxBytes { get; }

    private static string Canonical(string token) => token.Trim().ToLowerInvariant();

    /// <summary>True when the trimmed value equals a token, ignoring case.</summary>
    public bool Matches(ReadOnlySpan<byte> trimmed)
    {
        if (trimmed.IsEmpty || trimmed.Length > MaxBytes)
        {
            return false;
        }

        if (Ascii.IsValid(trimmed))
        {
            if (trimmed.Length > MaxAsciiBytes)
            {
                return false;
            }

            Span<byte> lower = stackalloc byte[trimmed.Length];
            Ascii.ToLower(trimmed, lower, out _);
            foreach (var token in _asciiTokens)
            {
                if (lower.SequenceEqual(token))
                {
                    return true;
                }
            }

            return false;
        }

        return _tokens.Contains(Encoding.UTF8.GetString(trimmed).ToLowerInvariant());
    }
}
