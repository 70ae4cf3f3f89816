using System.Security.Cryptography;
using System.Text;

namespace Alimentar.Server.Security;

/// <summary>
/// Known tokens, compared in constant time (on their SHA-256, so lengths leak nothing either). Tokens are
/// never logged or echoed.
/// </summary>
public sealed class TokenStore
{
    private readonly List<(byte[] Hash, HubUser User)> _tokens = [];

    public int Count => _tokens.Count;

    public void Add(string token, HubUser user) => _tokens.Add((SHA256.HashData(Encoding.UTF8.GetBytes(token)), user));

    /// <summary>The names of the users the tokens belong to.</summary>
    public IEnumerable<string> UserNames => _tokens.Select(t => t.User.Name).Distinct(StringComparer.Ordinal);

    /// <summary>Lines of <c>token user read|write|admin</c>; blank lines and <c>#</c> comments are skipped.</summary>
    public void LoadFile(string path)
    {
        foreach (var (line, token, user, role) in Roles.ReadFile(path, "TOKEN USER read|write|admin"))
        {
            if (Alimentar.Hub.Repos.RepoId.Validate(user + "/x") is not null)
            {
                throw new FormatException($"{path}:{line}: '{user}' cannot be a user name (letters, digits, '-', '_', '.')");
            }

            Add(token, new HubUser(user, role));
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
