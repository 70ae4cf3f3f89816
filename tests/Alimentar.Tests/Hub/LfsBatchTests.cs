using System.Text.Json;
using Alimentar.Hub.Lfs;

namespace Alimentar.Tests.Hub;

/// <summary>
/// The LFS batch shapes have one definition that the client writes and the server reads, and the other way round;
/// the readers also accept what the real Hub and huggingface_hub send.
/// </summary>
public sealed class LfsBatchTests
{
    private static readonly string Oid = new('a', 64);

    [Fact]
    public void ARequestReadsBackAsWritten()
    {
        var request = LfsBatchRequest.ForUpload("main", [new LfsObject(Oid, 12), new LfsObject(new string('b', 64), 0)]);
        var read = LfsBatchRequest.Read(Parse(request.ToJson().ToJsonString()));

        Assert.Equal("upload", read.Operation);
        Assert.Equal(["basic", "multipart"], read.Transfers);
        Assert.Equal("main", read.Ref);
        Assert.Equal(request.Objects, read.Objects);
        Assert.All(read.Objects, o => Assert.True(o.IsWellFormed));
        Assert.Null(LfsBatchRequest.Read(Parse(LfsBatchRequest.ForUpload(null, []).ToJson().ToJsonString())).Ref);
    }

    [Theory]
    [InlineData("""{"oid":"AAAA","size":1}""")]
    [InlineData("""{"oid":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","size":1.5}""")]
    [InlineData("""{"oid":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","size":"12"}""")]
    [InlineData("""{"oid":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","size":-1}""")]
    [InlineData("""{"oid":5,"size":1}""")]
    [InlineData("""null""")]
    public void AMalformedObjectIsKeptForItsOwnErrorNotThrown(string item)
    {
        var read = LfsBatchRequest.Read(Parse($$"""{"operation":"upload","objects":[{{item}}]}"""));
        Assert.False(Assert.Single(read.Objects).IsWellFormed);
    }

    [Theory]
    [InlineData("[]", "JSON object")]
    [InlineData("""{"operation":"upload"}""", "'objects'")]
    [InlineData("""{"objects":{}}""", "'objects'")]
    public void ABodyWithoutObjectsIsRefusedWithTheReason(string body, string reason) =>
        Assert.Contains(reason, Assert.Throws<FormatException>(() => LfsBatchRequest.Read(Parse(body))).Message);

    [Fact]
    public void AResponseReadsBackAsWritten()
    {
        var verify = new LfsAction("http://hub/verify", new Dictionary<string, string>());
        var response = new LfsBatchResponse(
        [
            new LfsObjectResult(Oid, 10),
            new LfsObjectResult(new string('b', 64), 20, new LfsAction("http://hub/upload?sig=1", new Dictionary<string, string>()), verify),
            new LfsObjectResult(new string('c', 64), 25, LfsAction.Multipart("http://hub/complete", 10, ["http://p/1", "http://p/2", "http://p/3"]), verify),
            LfsObjectResult.Failed(new LfsObject("bad", -1), 422, "oid must be a sha256"),
        ]);
        var read = LfsBatchResponse.Read(Parse(response.ToJson().ToJsonString()));

        Assert.True(read.Objects[0].AlreadyStored);
        Assert.Null(read.Objects[1].Upload!.ChunkSize);
        Assert.Equal("http://hub/upload?sig=1", read.Objects[1].Upload!.Href);
        Assert.Equal("http://hub/verify", read.Objects[1].Verify!.Href);
        Assert.Equal(10, read.Objects[2].Upload!.ChunkSize);
        Assert.Equal([(1, "http://p/1"), (2, "http://p/2"), (3, "http://p/3")], read.Objects[2].Upload!.Parts);
        Assert.Equal(new LfsObjectError(422, "oid must be a sha256"), read.Objects[3].Error);
        Assert.False(read.Objects[3].AlreadyStored);
    }

    [Fact]
    public void TheWrittenResponseHasTheShapeHuggingfaceHubReads()
    {
        var json = new LfsBatchResponse([new LfsObjectResult(Oid, 25, LfsAction.Multipart("http://hub/complete", 10, ["u1", "u2", "u3"]))]).ToJson();
        var item = json["objects"]![0]!;

        // lfs.py: int(header.pop("chunk_size")), then the remaining keys sorted as part numbers.
        Assert.Equal("10", item["actions"]!["upload"]!["header"]!["chunk_size"]!.GetValue<string>());
        Assert.Equal("u1", item["actions"]!["upload"]!["header"]!["00001"]!.GetValue<string>());
        Assert.True(item["authenticated"]!.GetValue<bool>());
        Assert.Equal("basic", json["transfer"]!.GetValue<string>());
    }

    [Fact]
    public void AChunkSizeSentAsANumberIsReadToo()
    {
        var body = "{\"objects\":[{\"oid\":\"" + Oid + "\",\"size\":5,\"actions\":{\"upload\":{\"href\":\"h\",\"header\":{\"chunk_size\":2,\"1\":\"a\",\"2\":\"b\",\"3\":\"c\"}}}}]}";
        var read = LfsBatchResponse.Read(Parse(body));
        Assert.Equal(2, read.Objects[0].Upload!.ChunkSize);
        Assert.Equal(3, read.Objects[0].Upload!.Parts.Count);
    }

    [Fact]
    public void ACompletionReadsBackAsWritten()
    {
        var completion = new LfsMultipartCompletion(Oid, [new LfsPart(1, "\"e1\""), new LfsPart(2, "\"e2\"")]);
        var read = LfsMultipartCompletion.Read(Parse(completion.ToJson().ToJsonString()));
        Assert.Equal(completion.Oid, read.Oid);
        Assert.Equal(completion.Parts, read.Parts);
        Assert.Contains("partNumber", Assert.Throws<FormatException>(() => LfsMultipartCompletion.Read(Parse($$$"""{"oid":"{{{Oid}}}","parts":[{"partNumber":"1","etag":"x"}]}"""))).Message);
    }

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
