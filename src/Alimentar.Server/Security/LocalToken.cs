using System.Security.Cryptography;
using System.Text;

namespace Alimentar.Server.Security;

/// <summary>
/// The write token of a hub kept in a user's own folder (<c>publish --endpoint local</c>): created on first use and
/// stored with the storage as <c>local-token</c> (0600), never in the user's Hugging Face token file. <c>hub serve
/// --root</c> on that folder accepts it too.
/// </summary>
public static class LocalToken
{
    public const string FileName = "local-token";

    public static string LoadOrCreate(string root) =>
        Encoding.ASCII.GetString(OwnerOnlyFile.LoadOrCreate(Path.Combine(root, FileName), () =>
            Encoding.ASCII.GetBytes("hf_local_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20))))).Trim();

    /// <summary>The token of <paramref name="root"/> when one was created there, else null.</summary>
    public static string? Find(string root)
    {
        var path = Path.Combine(root, FileName);
        return File.Exists(path) ? LoadOrCreate(root) : null;
    }
}
