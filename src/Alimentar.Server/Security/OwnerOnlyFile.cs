namespace Alimentar.Server.Security;

/// <summary>
/// Secrets kept with the storage (the URL-signing key, the local hub's token): created owner-only (0600) from the
/// start and written whole through a temporary file; one found world-readable (as earlier versions wrote the key)
/// is tightened when loaded.
/// </summary>
internal static class OwnerOnlyFile
{
    public static byte[] LoadOrCreate(string path, Func<byte[]> create)
    {
        if (File.Exists(path))
        {
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            return File.ReadAllBytes(path);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var content = create();
        var temp = $"{path}.{Environment.ProcessId}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temp, options))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }

        // Two processes starting at once: the first rename wins and both read what it wrote.
        try
        {
            File.Move(temp, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temp);
        }

        return File.ReadAllBytes(path);
    }
}
