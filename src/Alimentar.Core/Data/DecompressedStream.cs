using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace Alimentar.Data;

/// <summary>
/// A compressed file's bytes as they decompress, where any decompression failure is an <see cref="InvalidDataException"/>
/// saying so (the readers turn it into the one-line error naming the file). A gzip file is also checked against its
/// trailer: .NET's GZipStream ends quietly where the file does (a download cut short read as 704 rows of 4,800, with no
/// error), so at the end the CRC-32 and size of everything read must match the file's last 8 bytes, or the file must
/// be bgzip's (genomics), whose last member is an empty marker.
/// </summary>
internal sealed class DecompressedStream(string path, string kind, Stream inner) : ReadOnlyWrapperStream(inner)
{
    // bgzip's end-of-file marker: an empty member, 28 bytes.
    private static readonly byte[] BgzipEnd = Convert.FromHexString("1f8b08040000000000ff0600424302001b0003000000000000000000");

    private readonly Crc32 _crc = new();
    private long _length;
    private bool _checked;

    public override int Read(Span<byte> buffer)
    {
        int read;
        try
        {
            read = Inner.Read(buffer);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or ZstdSharp.ZstdException)
        {
            throw new InvalidDataException($"the {kind} data is corrupt or cut short ({ex.Message.TrimEnd('.')})", ex);
        }

        if (read > 0)
        {
            _crc.Append(buffer[..read]);
            _length += read;
        }
        else if (buffer.Length > 0 && !_checked && Inner is GZipStream)
        {
            _checked = true;
            CheckTrailer();
        }

        return read;
    }

    private void CheckTrailer()
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
        var tail = new byte[Math.Min(file.Length, BgzipEnd.Length)];
        file.Seek(-tail.Length, SeekOrigin.End);
        file.ReadExactly(tail);
        if (tail.AsSpan().SequenceEqual(BgzipEnd))
        {
            return;
        }

        var trailer = tail.AsSpan(Math.Max(0, tail.Length - 8));
        if (trailer.Length == 8
            && BinaryPrimitives.ReadUInt32LittleEndian(trailer) == _crc.GetCurrentHashAsUInt32()
            && BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]) == (uint)_length)
        {
            return;
        }

        throw new InvalidDataException($"the gzip data ends after {_length:N0} bytes without the checksum and size its trailer should give: cut short, or several gzip files joined (decompress it first)");
    }
}
