using System.Buffers.Binary;

namespace Alimentar.Data.Arrow;

/// <summary>
/// A read-only file stream for Apache.Arrow's reader that refuses a length prefix longer than the file. The reader
/// reads a message's 4-byte length, then rents a buffer of that size before reading the message: a corrupt prefix of a
/// file of a few kilobytes took half a gigabyte. Every 4-byte read of the IPC format is a length (or the -1
/// continuation marker; the footer's length is read near the end and points back), so one that reads as more than
/// the whole file is the file's error.
/// </summary>
internal sealed class LengthCheckingStream(FileStream inner) : ReadOnlyWrapperStream(inner)
{
    // The length just read: the next read of that many bytes is the message, checked before the reader decodes it.
    private int _message = -1;

    public override bool CanSeek => true;

    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => inner.Position = value;
    }

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        if (_message > 4 && read == _message && ArrowMessageCheck.Problem(buffer[..read]) is { } problem)
        {
            throw new DataReadException(inner.Name, $"{problem} (at byte {inner.Position - read:N0})");
        }

        _message = -1;
        if (buffer.Length == 4 && read == 4)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(buffer);
            if (length > inner.Length)
            {
                throw new DataReadException(inner.Name, $"declares a {length:N0}-byte message at byte {inner.Position - 4:N0} of a {inner.Length:N0}-byte file");
            }

            _message = length;
        }

        return read;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
}
