using System.Runtime.InteropServices;

namespace Alimentar.Memory;

/// <summary>
/// A large zeroed buffer outside the GC heap. On Linux it is an anonymous mapping advised for transparent huge
/// pages: the kernel hands out zeroed pages on first touch, so nothing is cleared up front (clearing 160 MB
/// before a scan cost 0.4 s on one core) and the zeroing happens on whichever thread first writes a page. First-
/// touch faults cost about 3 ms per MB with 4 KiB pages on this kind of machine and a third of that with huge pages.
/// </summary>
public sealed unsafe class NativeBuffer<T> : IDisposable
    where T : unmanaged
{
    private const nuint HugePage = 2 * 1024 * 1024;
    private readonly nuint _bytes;
    private readonly nuint _mappedBytes;
    private void* _mapping;
    private volatile bool _disposed;
    private T* _pointer;

    public NativeBuffer(long length)
    {
        Length = length;
        _bytes = (nuint)Math.Max(1, length) * (nuint)sizeof(T);
        if (OperatingSystem.IsLinux())
        {
            // Over-map by one huge page so the buffer can start on a 2 MiB boundary, where THP can back it, and
            // advise whole huge pages: advised to its exact end, the buffer's last partial huge page crossed into
            // unadvised memory and faulted in 4 KiB at a time (a third of a 1M-row fold array's faults).
            var rounded = (_bytes + HugePage - 1) & ~(HugePage - 1);
            _mappedBytes = rounded + HugePage;
            _mapping = LinuxMemory.MapAnonymous(_mappedBytes);
            var aligned = ((nuint)_mapping + HugePage - 1) & ~(HugePage - 1);
            _pointer = (T*)aligned;
            _ = LinuxMemory.Madvise((IntPtr)aligned, rounded, LinuxMemory.AdviseHugePage); // a refusal only costs speed
        }
        else
        {
            _pointer = (T*)NativeMemory.AllocZeroed(_bytes);
            _mapping = _pointer;
        }

        // No GC.AddMemoryPressure: owners dispose their buffers (the finalizer is a safety net), and the pressure of
        // a 100 MB duplicate-finder arena set off full blocking collections, four per 5M-row score (11 ms of pause).
    }

    public long Length { get; }

    /// <summary>
    /// Faults the pages in now (MADV_POPULATE_WRITE), from a background thread, so the first writes later do not
    /// stall on them. Best effort: older kernels refuse the advice and the pages fault in on first touch as usual.
    /// </summary>
    public Task PopulateInBackground()
    {
        if (!OperatingSystem.IsLinux())
        {
            return Task.CompletedTask;
        }

        var start = (nint)_pointer;
        var bytes = _bytes;
        return Task.Run(() =>
        {
            // A huge page at a time: populating holds the process's memory-map lock, and one call over the whole
            // buffer kept other threads' mmap calls (new buffers, heap growth) waiting for a fifth of a second.
            for (nuint done = 0; done < bytes && !_disposed; done += HugePage)
            {
                if (LinuxMemory.Madvise(start + (nint)done, Math.Min(HugePage, bytes - done), LinuxMemory.AdvisePopulateWrite) != 0)
                {
                    return;
                }
            }
        });
    }

    public ref T this[long index] => ref _pointer[index];

    /// <summary>The first element; valid until <see cref="Dispose"/>.</summary>
    public T* Pointer => _pointer;

    public Span<T> AsSpan() => new(_pointer, checked((int)Length));

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    ~NativeBuffer()
    {
        Free();
    }

    private void Free()
    {
        _disposed = true;
        if (_mapping is null)
        {
            return;
        }

        if (OperatingSystem.IsLinux())
        {
            LinuxMemory.Unmap(_mapping, _mappedBytes);
        }
        else
        {
            NativeMemory.Free(_mapping);
        }

        _mapping = null;
        _pointer = null;
    }
}

internal static unsafe class LinuxMemory
{
    public const int AdviseHugePage = 14; // MADV_HUGEPAGE
    public const int AdvisePopulateWrite = 23; // MADV_POPULATE_WRITE (Linux 5.14)

    private const int ProtReadWrite = 0x1 | 0x2;
    private const int MapPrivateAnonymous = 0x02 | 0x20;

    public static void* MapAnonymous(nuint bytes)
    {
        var address = Mmap(null, bytes, ProtReadWrite, MapPrivateAnonymous, -1, 0);
        if (address == (void*)-1)
        {
            throw new OutOfMemoryException($"could not map {bytes / (1024 * 1024)} MiB of memory");
        }

        return address;
    }

    public static void Unmap(void* address, nuint bytes) => _ = Munmap(address, bytes);

    [DllImport("libc", EntryPoint = "madvise", SetLastError = false)]
    public static extern int Madvise(IntPtr address, nuint length, int advice);

    [DllImport("libc", EntryPoint = "mmap", SetLastError = false)]
    private static extern void* Mmap(void* address, nuint length, int protection, int flags, int fd, nint offset);

    [DllImport("libc", EntryPoint = "munmap", SetLastError = false)]
    private static extern int Munmap(void* address, nuint length);
}
