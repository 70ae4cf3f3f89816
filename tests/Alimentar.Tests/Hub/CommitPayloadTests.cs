using System.Text;
using Alimentar.Hub.Commits;

namespace Alimentar.Tests.Hub;

/// <summary>The commit payload has one writer (the client) and one reader (the server): what one writes, the other reads back.</summary>
public sealed class CommitPayloadTests
{
    [Fact]
    public async Task EveryLineTypeReadsBackAsWritten()
    {
        using var stream = new MemoryStream();
        var content = Enumerable.Range(0, 100_000).Select(i => (byte)(i * 7)).ToArray();
        await CommitPayload.WriteHeaderAsync(stream, "Title", "Body\nmore", "ABCDEF0123", CancellationToken.None);
        await CommitPayload.WriteDeleteAsync(stream, "old.txt", folder: false, CancellationToken.None);
        await CommitPayload.WriteDeleteAsync(stream, "tmp", folder: true, CancellationToken.None);
        await CommitPayload.WriteLfsFileAsync(stream, "data/x.parquet", new string('a', 64), 123, CancellationToken.None);
        await CommitPayload.WriteInlineFileAsync(stream, "notes/ä b.txt", new MemoryStream(content), CancellationToken.None);
        var lines = Encoding.UTF8.GetString(stream.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select((l, i) => CommitPayload.Read(l, i + 1)).ToList();

        Assert.Equal(new CommitHeader("Title", "Body\nmore", "abcdef0123"), lines[0]);
        Assert.Equal(new DeleteLine("old.txt", false), lines[1]);
        Assert.Equal(new DeleteLine("tmp", true), lines[2]);
        Assert.Equal(new LfsFileLine("data/x.parquet", new string('a', 64), 123), lines[3]);
        var file = Assert.IsType<InlineFileLine>(lines[4]);
        Assert.Equal("notes/ä b.txt", file.Path);
        Assert.Equal(content, file.Content);
    }

    [Theory]
    [InlineData("not json", "line 1 is not JSON")]
    [InlineData("[]", "needs a \"key\"")]
    [InlineData("""{"key":"header","value":{"summary":"x","parentCommit":"zz"}}""", "parentCommit")]
    [InlineData("""{"key":"file","value":{"path":"../etc/passwd","content":""}}""", "invalid path")]
    [InlineData("""{"key":"file","value":{"path":"a","content":"!!"}}""", "not valid base64")]
    [InlineData("""{"key":"lfsFile","value":{"path":"a","oid":"xyz"}}""", "sha256 oid")]
    [InlineData("""{"key":"copy","value":{"path":"a"}}""", "unknown line type 'copy'")]
    public void MalformedLinesAreRefusedWithTheReason(string line, string reason)
    {
        var error = Assert.Throws<FormatException>(() => CommitPayload.Read(line, 1));
        Assert.Contains(reason, error.Message);
    }
}
