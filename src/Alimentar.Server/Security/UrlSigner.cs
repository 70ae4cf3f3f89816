using System.Security.Cryptography;
using System.Text;

namespace Alimentar.Server.Security;

/// <summary>
/// Signs storage URLs with an expiring HMAC, because the official clients send no Authorization header to LFS
/// upload and completion URLs.
/// </summary>
public sealed class UrlSigner(byte[] key, TimeSpan lifetime)
{
    public static byte[] LoadOrCreateKey(string root)
    {
        var path = Path.Combine(root, "signing.key");
        if (File.Exists(path))
        {
            if (!OperatingSystem.IsWindows())
            {
                // Keys written by earlier versions were readable by every local user.
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            return File.ReadAllBytes(path);
        }

        var key = RandomNumberGenerator.GetBytes(32);
        var temp = path + ".tmp";

        // Created owner-only (0600) from the start: whoever reads the key can mint upload and download URLs.
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temp, options))
        {
            stream.Write(key);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
        return key;
    }

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
