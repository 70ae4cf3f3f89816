using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Alimentar.Hub.Repos;

namespace Alimentar.Hub.Commits;

/// <summary>One line of the NDJSON commit payload, as read.</summary>
public abstract record CommitLine;

/// <summary><c>{"key":"header","value":{"summary","description","parentCommit"}}</c>, always first.</summary>
public sealed record CommitHeader(string Summary, string Description, string? ParentCommit) : CommitLine;

/// <summary><c>file</c>: content inline, base64 (both clients) or utf-8.</summary>
public sealed record InlineFileLine(string Path, byte[] Content) : CommitLine;

/// <summary><c>lfsFile</c>: an uploaded object by SHA-256; Python's copies leave out the size.</summary>
public sealed record LfsFileLine(string Path, string Sha256, long? Size) : CommitLine;

/// <summary><c>deletedFile</c>, or <c>deletedFolder</c> (Python, path with a trailing slash).</summary>
public sealed record DeleteLine(string Path, bool Folder) : CommitLine;

/// <summary>
/// The NDJSON commit payload of <c>POST /api/{type}s/{id}/commit/{rev}</c> (hub-protocol.md §6), written and read in
/// one place: the client writes it (streaming inline content as base64), the server reads it line by line.
/// </summary>
public static class CommitPayload
{
    public const string Header = "header";
    public const string File = "file";
    public const string LfsFile = "lfsFile";
    public const string DeletedFile = "deletedFile";
    public const string DeletedFolder = "deletedFolder";

    public static async Task WriteHeaderAsync(Stream stream, string summary, string description, string? parentCommit, CancellationToken cancel) =>
        await WriteLineAsync(stream, Header, new JsonObject { ["summary"] = summary, ["description"] = description, ["parentCommit"] = parentCommit }, cancel);

    public static async Task WriteDeleteAsync(Stream stream, string path, bool folder, CancellationToken cancel) =>
        await WriteLineAsync(stream, folder ? DeletedFolder : DeletedFile, new JsonObject { ["path"] = folder ? path + "/" : path }, cancel);

    public static async Task WriteLfsFileAsync(Stream stream, string path, string sha256, long size, CancellationToken cancel) =>
        await WriteLineAsync(stream, LfsFile, new JsonObject { ["path"] = path, ["algo"] = "sha256", ["oid"] = sha256, ["size"] = size }, cancel);

    /// <summary>A <c>file</c> line whose content is streamed from <paramref name="content"/> as base64, never held whole.</summary>
    public static async Task WriteInlineFileAsync(Stream stream, string path, Stream content, CancellationToken cancel)
    {
        await stream.WriteAsync(Encoding.UTF8.GetBytes("{\"key\":\"file\",\"value\":{\"path\":" + JsonValue.Create(path).ToJsonString() + ",\"encoding\":\"base64\",\"content\":\""), cancel);
        await using (var base64 = new CryptoStream(new KeepOpen(stream), new ToBase64Transform(), CryptoStreamMode.Write, leaveOpen: true))
        {
            await content.CopyToAsync(base64, cancel);
            await base64.FlushFinalBlockAsync(cancel);
        }

        await stream.WriteAsync("\"}}\n"u8.ToArray(), cancel);
    }

    /// <summary>Reads one non-empty line; paths are normalized by the repo path rules.</summary>
    /// <exception cref="FormatException">Not JSON, an unknown line type, a bad path, bad base64 or a bad oid; the message says which.</exception>
    public static CommitLine Read(string line, int number)
    {
        JsonElement item;
        try
        {
            using var document = JsonDocument.Parse(line);
            item = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new FormatException($"line {number} is not JSON");
        }

        if (item.ValueKind != JsonValueKind.Object || JsonText.Property(item, "key") is not { } key || !item.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"line {number} needs a \"key\" and an object \"value\"");
        }

        if (key == Header)
        {
            var parent = JsonText.Property(value, "parentCommit");
            if (parent is not null && !System.Text.RegularExpressions.Regex.IsMatch(parent, "^[0-9a-fA-F]{5,40}$"))
            {
                throw new FormatException("parentCommit must be 5-40 hex characters");
            }

            return new CommitHeader(JsonText.Property(value, "summary") ?? string.Empty, JsonText.Property(value, "description") ?? string.Empty, parent?.ToLowerInvariant());
        }

        var rawPath = JsonText.Property(value, "path");
        var folder = key == DeletedFolder;
        var (path, error) = RepoPaths.Normalize(folder ? rawPath?.TrimEnd('/') : rawPath);
        if (error is not null)
        {
            throw new FormatException($"invalid path '{rawPath}': {error}");
        }

        switch (key)
        {
            case File:
                var content = JsonText.Property(value, "content") ?? string.Empty;
                try
                {
                    return new InlineFileLine(path!, (JsonText.Property(value, "encoding") ?? "base64") == "base64" ? Convert.FromBase64String(content) : Encoding.UTF8.GetBytes(content));
                }
                catch (FormatException)
                {
                    throw new FormatException($"content of '{path}' is not valid base64");
                }

            case LfsFile:
                var oid = JsonText.Property(value, "oid") ?? string.Empty;
                if (!GitObjects.IsSha256(oid))
                {
                    throw new FormatException($"lfsFile '{path}' needs a sha256 oid");
                }

                return new LfsFileLine(path!, oid, value.TryGetProperty("size", out var size) && size.ValueKind == JsonValueKind.Number ? size.GetInt64() : null);
            case DeletedFile or DeletedFolder:
                return new DeleteLine(path!, folder);
            default:
                throw new FormatException($"unknown line type '{key}'");
        }
    }

    private static async Task WriteLineAsync(Stream stream, string key, JsonObject value, CancellationToken cancel) =>
        await stream.WriteAsync(Encoding.UTF8.GetBytes(new JsonObject { ["key"] = key, ["value"] = value }.ToJsonString() + "\n"), cancel);

    // The base64 transform closes what it writes to; the request stream must stay open for the next line.
    private sealed class KeepOpen(Stream inner) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.WriteAsync(buffer, offset, count, cancellationToken);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);
    }
}
