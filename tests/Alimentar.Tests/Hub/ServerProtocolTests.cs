using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Alimentar.Hub.Client;
using Alimentar.Hub.Repos;
using Alimentar.Tests.Support;

namespace Alimentar.Tests.Hub;

/// <summary>Server rules the official clients rely on, and the ones that keep stored data safe.</summary>
public sealed class ServerProtocolTests
{
    private static readonly RepoId Repo = new(RepoType.Dataset, "team", "data");

    [Fact]
    public async Task PutWithWrongSha256IsRejectedAndNothingIsStored()
    {
        await using var hub = await LocalHub.StartAsync();
        using var client = hub.Client();
        await client.CreateRepoAsync(Repo, false);
        using var http = Http(hub);
        var body = Encoding.UTF8.GetBytes("actual content");
        var claimed = Bytes.Sha256(Encoding.UTF8.GetBytes("something else"));
        var href = await BatchUploadHref(http, claimed, body.Length);
        using var put = await new HttpClient().PutAsync(href, new ByteArrayContent(body));
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Contains("sha256 mismatch", await put.Content.ReadAsStringAsync());
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(hub.Root, "objects", "lfs"), "*", SearchOption.AllDirectories));

        // A tampered signature is refused as well.
        using var forged = await new HttpClient().PutAsync(href.Replace("sig=", "sig=0"), new ByteArrayContent(body));
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
    }

    [Fact]
    public async Task CommitNamingAMissingLfsObjectIsRejected()
    {
        await using var hub = await LocalHub.StartAsync();
        using var client = hub.Client();
        await client.CreateRepoAsync(Repo, false);
        using var http = Http(hub);
        var ndjson = Header("add ghost") + Line("lfsFile", new { path = "ghost.parquet", algo = "sha256", oid = new string('a', 64), size = 10 });
        using var response = await http.PostAsync("/api/datasets/team/data/commit/main", new StringContent(ndjson));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("was not uploaded", await response.Content.ReadAsStringAsync());
        Assert.Single(await client.ListCommitsAsync(Repo));
    }

    [Theory]
    [InlineData("../escape.txt")]
    [InlineData("a/../../escape.txt")]
    [InlineData("/etc/passwd")]
    [InlineData("a\\b.txt")]
    [InlineData("a/\u0001b.txt")]
    [InlineData(".git/config")]
    public async Task PathTraversalInCommitsIsRefused(string path)
    {
        await using var hub = await LocalHub.StartAsync();
        using var client = hub.Client();
        await client.CreateRepoAsync(Repo, false);
        using var http = Http(hub);
        var ndjson = Header("evil") + Line("file", new { path, encoding = "base64", content = Convert.ToBase64String("x"u8.ToArray()) });
        using var response = await http.PostAsync("/api/datasets/team/data/commit/main", new StringContent(ndjson));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(File.Exists(Path.Combine(hub.Root, "..", "escape.txt")));
    }

    [Theory]
    [InlineData("/datasets/team/data/resolve/main/..%2F..%2Frepo.json")]
    [InlineData("/datasets/team/data/resolve/main/a%2F..%2F..%2Frepo.json")]
    [InlineData("/api/datasets/team/data/tree/main/..%2Fx")]
    [InlineData("/api/datasets/te..am/data")]
    [InlineData("/api/datasets/team/data/revision/..%2F..")]
    public async Task PathTraversalInUrlsIsRefused(string url)
    {
        await using var hub = await LocalHub.StartAsync();
        using var client = hub.Client();
        await client.CreateRepoAsync(Repo, false);
        using var http = Http(hub);
        using var response = await http.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task StaleParentCommitIsRefused()
    {
        await using var hub = await LocalHub.StartAsync();
        using var client = hub.Client();
        await client.CreateRepoAsync(Repo, false);
        var first = (await client.GetRepoAsync(Repo))!.Sha;
        await client.CommitAsync(new CommitRequest { Repo = Repo, Message = "one", Operations = [AddFileOperation.FromBytes("1"u8.ToArray(), "a.txt")] });
        var error = await Assert.ThrowsAsync<HubApiException>(() => client.CommitAsync(new CommitRequest
        {
            Repo = Repo,
            Message = "stale",
            ParentCommit = first,
            Operations = [AddFileOperation.FromBytes("2"u8.ToArray(), "b.txt")],
        }));
        Assert.Equal(HttpStatusCode.PreconditionFailed, error.StatusCode);
        Assert.Equal(["one", "initial commit"], (await client.ListCommitsAsync(Repo)).Select(c => c.Title));
    }

    [Fact]
    public async Task PrivateReposAreInvisibleWithoutATokenAndWritesNeedAWriteToken()
    {
        await using var hub = await LocalHub.StartAsync(organizations: "team reader read\n");
        using var client = hub.Client();
        await client.CreateRepoAsync(Repo, isPrivate: true);
        using var anonymous = new HttpClient { BaseAddress = new Uri(hub.Url) };
        using var info = await anonymous.GetAsync("/api/datasets/team/data");
        Assert.Equal(HttpStatusCode.NotFound, info.StatusCode);
        Assert.Equal("RepoNotFound", info.Headers.GetValues("X-Error-Code").Single());
        using var file = await anonymous.GetAsync("/datasets/team/data/resolve/main/.gitattributes");
        Assert.Equal(HttpStatusCode.NotFound, file.StatusCode);

        using var reader = hub.Client(LocalHub.ReadToken);
        Assert.NotNull(await reader.GetRepoAsync(Repo));
        var denied = await Assert.ThrowsAsync<HubApiException>(() => reader.CommitAsync(new CommitRequest { Repo = Repo, Message = "x", Operations = [AddFileOperation.FromBytes("x"u8.ToArray(), "x.txt")] }));
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        using var unknown = hub.Client("hf_not_a_known_token");
        Assert.Null(await unknown.GetRepoAsync(Repo) is { } ? "visible" : null);
    }

    [Fact]
    public async Task ACommitUrlLeadsToAPageOfWhatTheCommitChanged()
    {
        await using var hub = await LocalHub.StartAsync();
        using var client = hub.Client();
        await client.CreateRepoAsync(Repo, isPrivate: true);
        await client.CommitAsync(new CommitRequest { Repo = Repo, Message = "first", Operations = [AddFileOperation.FromBytes("a"u8.ToArray(), "keep.txt"), AddFileOperation.FromBytes("b"u8.ToArray(), "old.txt")] });
        var second = await client.CommitAsync(new CommitRequest
        {
            Repo = Repo,
            Message = "second <b>bold</b>",
            Operations = [AddFileOperation.FromBytes(Bytes.Deterministic(3000, 1), "data/train file.bin"), new DeleteFileOperation("old.txt")],
        });

        using var http = Http(hub);
        using var page = await http.GetAsync(second.CommitUrl);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("second &lt;b&gt;bold&lt;/b&gt;", html, StringComparison.Ordinal);
        Assert.Contains($"/datasets/team/data/resolve/{second.CommitOid}/data/train%20file.bin", html, StringComparison.Ordinal);
        Assert.Contains("<td>deleted</td><td>old.txt", html, StringComparison.Ordinal);
        Assert.DoesNotContain("keep.txt", html, StringComparison.Ordinal);
        Assert.Contains("<h2>2 files</h2>", html, StringComparison.Ordinal);

        // The repo is private: anonymous callers get the Hub's 404, and so does an unknown commit.
        using var anonymous = new HttpClient();
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(second.CommitUrl)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(second.CommitUrl[..^40] + new string('0', 40))).StatusCode);
    }

    [Fact]
    public async Task ResolveHonoursRangeAndSendsTheHeadersPythonNeeds()
    {
        await using var hub = await LocalHub.StartAsync();
        using var client = hub.Client();
        await client.CreateRepoAsync(Repo, false);
        var data = Bytes.Deterministic(5000, 3);
        await client.CommitAsync(new CommitRequest { Repo = Repo, Message = "data", Operations = [AddFileOperation.FromBytes(data, "d/x.bin"), AddFileOperation.FromBytes("hello"u8.ToArray(), "r.txt")] });
        using var http = Http(hub);
        using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/datasets/team/data/resolve/main/d/x.bin"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(5000, head.Content.Headers.ContentLength);
        Assert.Matches("^[0-9a-f]{40}$", head.Headers.GetValues("X-Repo-Commit").Single());
        Assert.Equal($"\"{Bytes.Sha256(data)}\"", head.Headers.ETag!.Tag);

        var request = new HttpRequestMessage(HttpMethod.Get, "/datasets/team/data/resolve/main/d/x.bin");
        request.Headers.Range = new RangeHeaderValue(100, 199);
        using var partial = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal("bytes 100-199/5000", partial.Content.Headers.ContentRange!.ToString());
        Assert.Equal(data[100..200], await partial.Content.ReadAsByteArrayAsync());

        using var regular = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/datasets/team/data/resolve/main/r.txt"));
        Assert.Equal($"\"{GitObjects.BlobSha1("hello"u8)}\"", regular.Headers.ETag!.Tag);
        using var missing = await http.GetAsync("/datasets/team/data/resolve/main/nope.txt");
        Assert.Equal("EntryNotFound", missing.Headers.GetValues("X-Error-Code").Single());
        using var badRevision = await http.GetAsync("/datasets/team/data/resolve/nobranch/r.txt");
        Assert.Equal("RevisionNotFound", badRevision.Headers.GetValues("X-Error-Code").Single());
    }

    [Fact]
    public async Task TreeIsPaginatedWithAbsoluteLinksAndHistoryIsListed()
    {
        await using var hub = await LocalHub.StartAsync(treePageSize: 2);
        using var client = hub.Client();
        await client.CreateRepoAsync(Repo, false);
        await client.CommitAsync(new CommitRequest { Repo = Repo, Message = "files", Operations = Enumerable.Range(0, 5).Select(i => (CommitOperation)AddFileOperation.FromBytes([(byte)i], $"f/{i}.txt")).ToList() });
        using var http = Http(hub);
        var seen = new List<string>();
        string? url = "/api/datasets/team/data/tree/main?recursive=true";
        while (url is not null)
        {
            using var page = await http.GetAsync(url);
            page.EnsureSuccessStatusCode();
            seen.AddRange((await page.Content.ReadFromJsonAsync<JsonElement[]>())!.Select(e => e.GetProperty("path").GetString()!));
            url = page.Headers.TryGetValues("Link", out var links) ? links.Single().Split('<', '>')[1] : null;
            Assert.True(url is null || url.StartsWith("http://", StringComparison.Ordinal));
        }

        Assert.Equal([".gitattributes", "f", "f/0.txt", "f/1.txt", "f/2.txt", "f/3.txt", "f/4.txt"], seen);
    }

    [Fact]
    public async Task ValidateYamlAlwaysAnswersJson()
    {
        await using var hub = await LocalHub.StartAsync();
        using var http = Http(hub);
        using var bad = await http.PostAsJsonAsync("/api/validate-yaml", new { content = "---\ntask_categories:\n- text2text-generation\n---\n", repoType = "dataset" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("text2text-generation", await bad.Content.ReadAsStringAsync());
        using var good = await http.PostAsJsonAsync("/api/validate-yaml", new { content = "no metadata", repoType = "dataset" });
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        Assert.Contains("warnings", await good.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task DeeplyNestedYamlFromAnAnonymousRequestIsRefusedAndTheServerStaysUp()
    {
        // 60,000 levels in 120 KB overflowed the stack (SIGSEGV) while the node tree was built.
        await using var hub = await LocalHub.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = new Uri(hub.Url) };
        var deep = "---\nx: " + new string('[', 60_000) + new string(']', 60_000) + "\n---\n";
        using var refused = await anonymous.PostAsJsonAsync("/api/validate-yaml", new { content = deep, repoType = "dataset" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("nesting deeper than 64 levels", await refused.Content.ReadAsStringAsync());

        var nested = "---\nx: " + new string('[', 10) + new string(']', 10) + "\n---\n";
        using var fine = await anonymous.PostAsJsonAsync("/api/validate-yaml", new { content = nested, repoType = "dataset" });
        Assert.DoesNotContain("nesting", await fine.Content.ReadAsStringAsync());
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void TheSigningKeyIsReadableByItsOwnerOnly()
    {
        var root = TestPaths.NewTempDir();
        var key = Alimentar.Server.Security.UrlSigner.LoadOrCreateKey(root);
        var path = Path.Combine(root, "signing.key");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));

        // A key left world-readable by an earlier version is tightened when loaded, and stays the same key.
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        Assert.Equal(key, Alimentar.Server.Security.UrlSigner.LoadOrCreateKey(root));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    private static HttpClient Http(LocalHub hub)
    {
        var http = new HttpClient { BaseAddress = new Uri(hub.Url) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", LocalHub.Token);
        return http;
    }

    private static async Task<string> BatchUploadHref(HttpClient http, string oid, long size)
    {
        using var batch = await http.PostAsJsonAsync("/datasets/team/data.git/info/lfs/objects/batch", new { operation = "upload", transfers = new[] { "basic" }, objects = new[] { new { oid, size } } });
        batch.EnsureSuccessStatusCode();
        var json = await batch.Content.ReadFromJsonAsync<JsonElement>();
        return json.GetProperty("objects")[0].GetProperty("actions").GetProperty("upload").GetProperty("href").GetString()!;
    }

    private static string Header(string summary) => Line("header", new { summary, description = string.Empty });

    private static string Line(string key, object value) => JsonSerializer.Serialize(new { key, value }) + "\n";
}
