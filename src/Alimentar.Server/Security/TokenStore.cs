using System.Security.Cryptography;
using System.Text;

namespace Alimentar.Server.Security;

/// <summary>A caller, as identified by its token.</summary>
public sealed record HubUser(string Name, bool CanWrite);

/// <summary>
/// Known tokens, compared in constant time (on their SHA-256, so lengths leak nothing either). Tokens are
/// never logged or echoed.
/// </summary>
public sealed class TokenStore
{
    private readonly List<(byte[] Hash, HubUser User)> _tokens = [];

    public int Count => _tokens.Count;

    public void Add(string token, HubUser user) => _tokens.Add((SHA256.HashData(Encoding.UTF8.GetBytes(token)), user));

    /// <summary>Lines of <c>token user write|read</c>; blank lines and <c>#</c> comments are skipped.</summary>
    public void LoadFile(string path)
    {
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            var text = line.Trim();
            if (text.Length == 0 || text.StartsWith('#'))
            {
                continue;
            }

            var parts = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 3 || parts[2] is not ("write" or "read"))
            {
                throw new FormatException($"{path}:{lineNumber}: expected 'TOKEN USER write|read'");
            }

            Add(parts[0], new HubUser(parts[1], parts[2] == "write"));
        }
    }

    /// <summary>The user for an Authorization header value, or null for none or an unknown token.</summary>
    public HubUser? Authenticate(string? authorization)
    {
        if (string.IsNullOrEmpty(authorization) || !authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(authorization[7..].Trim()));
        HubUser? found = null;
        foreach (var (hash, user) in _tokens)
        {
            // Compare against every token so timing does not reveal which one matched.
            if (CryptographicOperations.FixedTimeEquals(hash, presented))
            {
                found = user;
            }
        }

        return found;
    }
}
