using System.Security.Cryptography;
using System.Text;

namespace Alimentar.Server.Security;

/// <summary>
/// Signs storage URLs with an expiring HMAC, because the official clients send no Authorization header to LFS
/// upload and completion URLs.
/// </summary>
public sealed class UrlSigner(byte[] key, TimeSpan lifetime)
{
    public static byte[] LoadOrCreateKey(string root) =>
        OwnerOnlyFile.LoadOrCreate(Path.Combine(root, "signing.key"), () => RandomNumberGenerator.GetBytes(32));

    /// <summary>Returns <c>exp</c> and <c>sig</c> query values for <paramref name="purpose"/>.</summary>
    public (long Expires, string Signature) Sign(string purpose)
    {
        var expires = DateTimeOffset.UtcNow.Add(lifetime).ToUnixTimeSeconds();
        return (expires, Compute(purpose, expires));
    }

    public bool Verify(string purpose, string? expires, string? signature)
    {
        if (!long.TryParse(expires, out var exp) || signature is null || DateTimeOffset.UtcNow.ToUnixTimeSeconds() > exp)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Compute(purpose, exp));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature));
    }

    private string Compute(string purpose, long expires) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{purpose}\n{expires}")));
}
