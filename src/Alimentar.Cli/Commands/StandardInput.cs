namespace Alimentar.Cli.Commands;

/// <summary>
/// <c>-</c> as an input: standard input spooled to a temporary file (scoring reads a dataset more than once), named
/// for the format its first bytes show: Parquet, Arrow IPC, a JSON array, JSON Lines, else CSV (whose separator is
/// detected as for any CSV). Gzip or zstd data is decompressed on the way in, so <c>curl ... | alimentar quality
/// score -</c> needs no zcat.
/// </summary>
internal static class StandardInput
{
    public const string Name = "-";

    public static string Spool(Stream input)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"alimentar-stdin-{Environment.ProcessId}");
        Directory.CreateDirectory(folder);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(folder);
        var spool = Path.Combine(folder, "stdin.tmp");
        using (var file = new FileStream(spool, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            input.CopyTo(file);
        }

        // Compressed: decompressed into a second file (standard input cannot be peeked at and read again), and checked
        // to its end as a compressed file is.
        var plain = Path.Combine(folder, "stdin.plain");
        try
        {
            using var data = Alimentar.Data.TextCompression.DecompressByMagic(spool);
            if (data is not null)
            {
                using (var file = new FileStream(plain, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
                {
                    data.CopyTo(file);
                }

                File.Move(plain, spool, overwrite: true);
            }
        }
        catch (InvalidDataException ex)
        {
            throw new UsageException($"standard input: {ex.Message}");
        }

        if (new FileInfo(spool).Length == 0)
        {
            throw new UsageException("standard input is empty: pipe a dataset in, or name a file");
        }

        var named = Path.Combine(folder, "stdin" + Extension(spool));
        File.Move(spool, named, overwrite: true);
        return named;
    }

    private static string Extension(string spool)
    {
        using var file = File.OpenRead(spool);
        var head = new byte[64];
        var read = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var bytes = head.AsSpan(0, read);
        switch (Alimentar.Data.FormatDetector.FromMagic(bytes))
        {
            case Alimentar.Data.DataFormat.Parquet:
                return ".parquet";
            case Alimentar.Data.DataFormat.ArrowIpc:
                return ".arrow";
        }

        var first = bytes.TrimStart("\uFEFF"u8).TrimStart(" \t\r\n"u8);
        return first.IsEmpty ? ".csv" : first[0] switch
        {
            (byte)'[' => ".json",
            (byte)'{' => ".jsonl",
            _ => ".csv",
        };
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // Left in the temporary folder.
        }
    }
}
