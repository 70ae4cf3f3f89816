using System.Security.Cryptography;
using System.Text;

namespace Alimentar.Hub.Repos;

/// <summary>Git object ids and LFS pointers, as the Hub reports them.</summary>
public static class GitObjects
{
    /// <summary>The git blob SHA-1 of <paramref name="content"/>: sha1("blob {size}\0" + content).</summary>
    public static string BlobSha1(ReadOnlySpan<byte> content)
    {
        using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        sha1.AppendData(Encoding.ASCII.GetBytes($"blob {content.Length}\0"));
        sha1.AppendData(content);
        return Convert.ToHexStringLower(sha1.GetHashAndReset());
    }

    /// <summary>The git blob SHA-1 of a file, streamed.</summary>
    public static string BlobSha1(Stream content, long length)
    {
        using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        sha1.AppendData(Encoding.ASCII.GetBytes($"blob {length}\0"));
        var buffer = new byte[1 << 16];
        int read;
        while ((read = content.Read(buffer)) > 0)
        {
            sha1.AppendData(buffer, 0, read);
        }

        return Convert.ToHexStringLower(sha1.GetHashAndReset());
    }

    public static string LfsPointer(string sha256, long size) =>
        $"version https://git-lfs.github.com/spec/v1\noid sha256:{sha256}\nsize {size}\n";

    public static bool IsSha256(string? oid) =>
        oid is { Length: 64 } && oid.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');
}
