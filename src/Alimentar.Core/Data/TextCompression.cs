using System.IO.Compression;
using System.Text;

namespace Alimentar.Data;

/// <summary>
/// Gzip- and zstd-compressed text files (<c>data.csv.gz</c>, <c>logs.jsonl.zst</c>), read as they decompress: exports
/// and crawls arrive that way, and unpacking a 50 GB file first is what users come to a tool to avoid. Parquet and
/// Arrow compress their own pages, and are not read through a compressed wrapper.
/// </summary>
public static class TextCompression
{
    private static readonly byte[] GzipMagic = [0x1F, 0x8B];
    private static readonly byte[] ZstdMagic = [0x28, 0xB5, 0x2F, 0xFD];

    /// <summary>".gz" or ".zst" when the name ends so (any case), else null.</summary>
    public static string? Suffix(string path)
    {
        var name = Path.GetFileName(path);
        return name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? ".gz"
            : name.EndsWith(".zst", StringComparison.OrdinalIgnoreCase) ? ".zst"
            : null;
    }

    /// <summary>The name without its compression suffix.</summary>
    public static string Inner(string path) => Suffix(path) is { } suffix ? path[..^suffix.Length] : path;

    /// <summary>Null when the first bytes are the compression's magic, else what is wrong.</summary>
    public static string? MagicProblem(string path, ReadOnlySpan<byte> head) => Suffix(path) switch
    {
        ".gz" when !head.StartsWith(GzipMagic) => "is not gzip-compressed (its first bytes are not gzip's magic 1f 8b)",
        ".zst" when !head.StartsWith(ZstdMagic) => "is not zstd-compressed (its first bytes are not zstd's magic 28 b5 2f fd)",
        _ => null,
    };

    /// <summary>
    /// The file's bytes, decompressed when its name says so; corrupt or truncated compressed data surfaces as an
    /// <see cref="InvalidDataException"/> that says so.
    /// </summary>
    public static Stream Open(string path, int bufferSize = 1 << 16) =>
        Decompress(path, Suffix(path), new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize));

    /// <summary>
    /// A text file's bytes as UTF-8, decompressed as <see cref="Open"/> does: UTF-16 with its byte-order mark (Excel's
    /// "Unicode text", PowerShell's default) is transcoded as it is read, so no cell is lost to the encoding; UTF-32 is
    /// refused (<see cref="InvalidDataException"/>). Readers skip the UTF-8 byte-order mark the transcoding leaves.
    /// </summary>
    public static Stream OpenText(string path)
    {
        var stream = Open(path);
        var head = new byte[4];
        try
        {
            Array.Resize(ref head, stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false));
            if (head.AsSpan().StartsWith((byte[])[0xFF, 0xFE, 0, 0]) || head.AsSpan().StartsWith((byte[])[0, 0, 0xFE, 0xFF]))
            {
                throw new InvalidDataException("is UTF-32 encoded: save it as UTF-8 (iconv -f UTF-32 -t UTF-8)");
            }

            // Back to the start: a plain file seeks, a decompressing stream is opened again.
            if (stream.CanSeek)
            {
                stream.Seek(0, SeekOrigin.Begin);
            }
            else
            {
                stream.Dispose();
                stream = Open(path);
            }
        }
        catch
        {
            stream.Dispose();
            throw;
        }

        ReadOnlySpan<byte> start = head;
        return start.StartsWith((byte[])[0xFF, 0xFE]) ? Encoding.CreateTranscodingStream(stream, Encoding.Unicode, Encoding.UTF8)
            : start.StartsWith((byte[])[0xFE, 0xFF]) ? Encoding.CreateTranscodingStream(stream, Encoding.BigEndianUnicode, Encoding.UTF8)
            : stream;
    }

    /// <summary>
    /// A file known to be compressed only by its first bytes (standard input spooled to disk): gzip or zstd data,
    /// decompressed and checked as <see cref="Open"/> does; null when it is neither.
    /// </summary>
    public static Stream? DecompressByMagic(string path)
    {
        var head = new byte[4];
        using (var probe = File.OpenRead(path))
        {
            Array.Resize(ref head, probe.ReadAtLeast(head, head.Length, throwOnEndOfStream: false));
        }

        var suffix = head.AsSpan().StartsWith(GzipMagic) ? ".gz" : head.AsSpan().StartsWith(ZstdMagic) ? ".zst" : null;
        return suffix is null ? null : Decompress(path, suffix, new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16));
    }

    private static Stream Decompress(string path, string? suffix, FileStream file) => suffix switch
    {
        ".gz" => new DecompressedStream(path, "gzip", new GZipStream(file, CompressionMode.Decompress)),
        ".zst" => new DecompressedStream(path, "zstd", new ZstdSharp.DecompressionStream(file)),
        _ => file,
    };
}
