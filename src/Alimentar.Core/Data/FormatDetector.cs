namespace Alimentar.Data;

/// <summary>Chooses a reader from the file extension and confirms it against the file's first bytes.</summary>
public static class FormatDetector
{
    private static readonly byte[] ParquetMagic = "PAR1"u8.ToArray();
    private static readonly byte[] ParquetEncryptedMagic = "PARE"u8.ToArray();
    private static readonly byte[] ArrowMagic = "ARROW1"u8.ToArray();

    public static bool IsSupportedExtension(string path) => FromExtension(path) is not null;

    public static DataFormat? FromExtension(string path)
    {
        if (TextCompression.Suffix(path) is not null)
        {
            // Only text is read through decompression; a compressed Parquet or Arrow file is not one of ours.
            var inner = FromExtension(TextCompression.Inner(path));
            return inner is DataFormat.Csv or DataFormat.Tsv or DataFormat.Json or DataFormat.JsonLines ? inner : null;
        }

        var name = Path.GetFileName(path).ToLowerInvariant();
        return Path.GetExtension(name) switch
        {
            ".parquet" or ".pq" => DataFormat.Parquet,
            ".csv" => DataFormat.Csv,
            ".tsv" or ".tab" => DataFormat.Tsv,
            ".json" => DataFormat.Json,
            ".jsonl" or ".ndjson" => DataFormat.JsonLines,
            ".arrow" or ".feather" or ".ipc" => DataFormat.ArrowIpc,
            _ => name.Contains(".parquet", StringComparison.Ordinal) ? DataFormat.Parquet : null,
        };
    }

    /// <summary>Parquet (plain or encrypted) or Arrow IPC when a file's first bytes are their magic; null otherwise.</summary>
    public static DataFormat? FromMagic(ReadOnlySpan<byte> head) =>
        head.StartsWith(ParquetMagic) || head.StartsWith(ParquetEncryptedMagic) ? DataFormat.Parquet
        : head.StartsWith(ArrowMagic) ? DataFormat.ArrowIpc
        : null;

    /// <summary>Returns the format of <paramref name="path"/> or throws a <see cref="DataReadException"/>.</summary>
    public static DataFormat Detect(string path)
    {
        if (!File.Exists(path))
        {
            throw new DataReadException(path, Directory.Exists(path) ? "is a folder, not a file" : "no such file");
        }

        var byExtension = FromExtension(path);
        var head = new byte[8];
        var tail = new byte[4];
        long length;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.None);
            length = stream.Length;
            var headRead = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            Array.Resize(ref head, headRead);
            if (length >= 4)
            {
                stream.Seek(-4, SeekOrigin.End);
                stream.ReadExactly(tail);
            }
        }
        catch (IOException ex)
        {
            throw new DataReadException(path, $"cannot be read ({ex.Message})", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new DataReadException(path, "permission denied", ex);
        }

        if (TextCompression.Suffix(path) is { } compression)
        {
            if (byExtension is null)
            {
                var inner = FromExtension(TextCompression.Inner(path));
                throw new DataReadException(path, inner is null
                    ? $"has an unsupported extension (a {compression} file is read when it holds .csv, .tsv, .json or .jsonl)"
                    : $"is a compressed {inner} file: decompress it first (it compresses its own pages)");
            }

            return TextCompression.MagicProblem(path, head) is { } problem ? throw new DataReadException(path, problem) : byExtension.Value;
        }

        var byMagic = FromMagic(head);
        var looksParquet = byMagic == DataFormat.Parquet;
        var looksArrow = byMagic == DataFormat.ArrowIpc;
        if (byExtension == DataFormat.Parquet || (byExtension is null && looksParquet))
        {
            if (length == 0)
            {
                throw new DataReadException(path, "is empty (0 bytes), not a Parquet file");
            }

            if (head.AsSpan().StartsWith(ParquetEncryptedMagic) || tail.AsSpan().SequenceEqual(ParquetEncryptedMagic))
            {
                throw new DataReadException(path, "is an encrypted Parquet file (encrypted footer); decryption keys are not supported");
            }

            if (!looksParquet)
            {
                throw new DataReadException(path, "is not a Parquet file (missing PAR1 magic bytes at the start)");
            }

            if (length < 12 || !tail.AsSpan().SequenceEqual(ParquetMagic))
            {
                throw new DataReadException(path, "is truncated or not a Parquet file (missing PAR1 magic bytes at the end)");
            }

            return DataFormat.Parquet;
        }

        if (byExtension == DataFormat.ArrowIpc || (byExtension is null && looksArrow))
        {
            if (!looksArrow)
            {
                throw new DataReadException(path, "is not an Arrow IPC file (missing ARROW1 magic bytes)");
            }

            return DataFormat.ArrowIpc;
        }

        if (byExtension is null)
        {
            throw new DataReadException(path, "has an unsupported extension (expected .parquet, .csv, .tsv, .json, .jsonl or .arrow)");
        }

        if (looksParquet || looksArrow)
        {
            throw new DataReadException(path, $"has a {Path.GetExtension(path)} extension but holds {(looksParquet ? "Parquet" : "Arrow")} data");
        }

        return byExtension.Value;
    }
}
