using System.Buffers;
using Apache.Arrow.Memory;

namespace Alimentar.Data.Arrow;

/// <summary>
/// Buffers for Apache.Arrow's reader that may not exceed the file they are read from. The reader allocates a record
/// batch's body at the length its message declares before reading it: a corrupt length of a file of a few kilobytes
/// took half a gigabyte before "end of stream". Refused here, it is the file's error.
/// </summary>
internal sealed class BoundedArrowAllocator(string path, long fileLength) : MemoryAllocator
{
    protected override IMemoryOwner<byte> AllocateInternal(int length, out int bytesAllocated)
    {
        if (length > fileLength)
        {
            throw new DataReadException(path, $"declares a {length:N0}-byte buffer in a file of {fileLength:N0} bytes");
        }

        bytesAllocated = length;
        return new Owner(new byte[length]);
    }

    private sealed class Owner(byte[] bytes) : IMemoryOwner<byte>
    {
        public Memory<byte> Memory { get; } = bytes;

        public void Dispose()
        {
        }
    }
}
