using System.Runtime.InteropServices;

namespace Alimentar.Data;

/// <summary>
/// Whether a path is a regular file. .NET reports FIFOs, sockets and devices as ordinary files, and opening a FIFO
/// for reading blocks until something writes to it, so inputs are checked with stat(2) before they are opened.
/// </summary>
internal static unsafe partial class FileKind
{
    private const uint TypeMask = 0xF000;
    private const uint Regular = 0x8000;

    /// <summary>False only when the file is known to be something other than a regular file (or a link to one).</summary>
    public static bool IsRegular(string path)
    {
        // st_mode's offset in glibc's struct stat: after st_dev and st_ino on x86-64 (which also put st_nlink
        // first), after st_dev and st_ino on arm64. Elsewhere the check is skipped rather than guessed.
        var offset = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => 24,
            Architecture.Arm64 => 16,
            _ => -1,
        };
        if (!OperatingSystem.IsLinux() || offset < 0)
        {
            return true;
        }

        var buffer = stackalloc byte[512];
        if (Stat(path, buffer) != 0)
        {
            return true; // a missing or unreadable file gets the readers' own message
        }

        var mode = *(uint*)(buffer + offset);
        return (mode & TypeMask) == Regular;
    }

    [LibraryImport("libc", EntryPoint = "stat", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Stat(string path, byte* buffer);
}
