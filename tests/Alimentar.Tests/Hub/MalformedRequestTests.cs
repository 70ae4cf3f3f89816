using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Alimentar.Hub.Client;
using Alimentar.Hub.Download;
using Alimentar.Hub.Repos;
using Alimentar.Tests.Support;

namespace Alimentar.Tests.Hub;

/// <summary>
/// The malformed-request corpus: every request gets a 4xx in the Hub's error shape naming the problem (never a 500
/// or an empty body), what would leave a broken state is refused, and afterwards the server is up and every file
/// still downloads with its recorded hash.
/// </summary>
public sealed class MalformedRequestTests
{
    private const string Repo = "team/target";

    private static async Task<(int Status, string Body, HttpResponseHeaders Headers)> SendAsync(HttpClient http, HttpMethod method, string url, byte[]? body = null, string contentType = "application/json", string? range = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        if (range is not null)
        {
            request.Headers.TryAddWithoutValidation("Range", range);
        }

        using var response = await http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers);
    }

    private static byte[] Commit(params string[] lines) =>
        Encoding.UTF8.GetBytes(string.Join("\n", new[] { """{"key":"header","value":{"summary":"try","description":""}}""" }.Concat(lines)) + "\n");

    private static string LfsLine(string sha, string size) => "{\"key\":\"lfsFile\",\"value\":{\"path\":\"a\",\"oid\":\"" + sha + "\",\"size\":" + size + "}}";

    private static string FileLine(string path) => "{\"key\":\"file\",\"value\":{\"path\":\"" + path + "\",\"content\":\"\"}}";

    [Fact]
    public async Task MalformedRequestsGetFourHundredsAndLeaveEveryFileIntact()
    {
        await using var hub = await LocalHub.StartAsync();
        using (var client = hub.Client())
        {
            await client.CreateRepoAsync(RepoId.Parse(Repo), isPrivate: false);
            await client.CommitAsync(new CommitRequest
            {
                Repo = RepoId.Parse(Repo),
                Message = "seed",
                Operations = [AddFileOperation.FromBytes(Bytes.Deterministic(200_000, 9), "data/a.bin"), AddFileOperation.FromBytes("x,y\n1,2\n"u8.ToArray(), "data/b.csv")],
            });
        }

        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", LocalHub.Token);
        var api = $"{hub.Url}/api/datasets/{Repo}";
        var sha = new string('a', 64);
        var cases = new List<(string Name, Task<(int Status, string Body, HttpResponseHeaders Headers)> Request, int[] Expected)>
        {
            ("value of the wrong type", SendAsync(http, HttpMethod.Post, $"{api}/commit/main", Commit("""{"key":"file","value":"text"}""")), [400]),
            ("path not a string", SendAsync(http, HttpMethod.Post, $"{api}/commit/main", Commit("""{"key":"file","value":{"path":1,"content":""}}""")), [400]),
            ("missing key", SendAsync(http, HttpMethod.Post, $"{api}/commit/main", Commit("""{"value":{"path":"a"}}""")), [400]),
            ("bad base64", SendAsync(http, HttpMethod.Post, $"{api}/commit/main", Commit("""{"key":"file","value":{"path":"a","content":"@@@"}}""")), [400]),
            ("fractional size", SendAsync(http, HttpMethod.Post, $"{api}/commit/main", Commit(LfsLine(sha, "1.5"))), [400]),
            ("huge size", SendAsync(http, HttpMethod.Post, $"{api}/commit/main", Commit(LfsLine(sha, "1e30"))), [400]),
            ("line is an array", SendAsync(http, HttpMethod.Post, $"{api}/commit/main", Commit("[1,2]")), [400]),
            ("line is a number", SendAsync(http, HttpMethod.Post, $"{api}/commit/main", Commit("5")), [400]),
            ("line is null", SendAsync(http, HttpMethod.Post, $"{api}/commit/main", Commit("null")), [400]),
            ("invalid UTF-8", SendAsync(http, HttpMethod.Post, $"{api}/commit/main", [.. Commit(), 0xFF, 0xFE, 0x7B, 0x0A]), [400]),
            ("header not an object", SendAsync(http, HttpMethod.Post, $"{api}/commit/main", Encoding.UTF8.GetBytes("""{"key":"header","value":"x"}""" + "\n")), [400]),
            ("commit to a commit id", SendAsync(http, HttpMethod.Post, $"{api}/commit/{new string('0', 40)}", Commit()), [400, 404]),
            ("a file where a folder is", SendAsync(http, HttpMethod.Post, $"{api}/commit/main", Commit("""{"key":"file","value":{"path":"data","content":""}}""")), [409]),
            ("a 20,000-character path", SendAsync(http, HttpMethod.Post, $"{api}/commit/main", Commit(FileLine(new string('p', 20_000)))), [400]),
            ("a 1,000-level path", SendAsync(http, HttpMethod.Post, $"{api}/commit/main", Commit(FileLine(string.Join('/', Enumerable.Repeat("d", 1000))))), [400]),
            ("overflowing tree cursor", SendAsync(http, HttpMethod.Get, $"{api}/tree/main?cursor={Convert.ToBase64String(Encoding.ASCII.GetBytes("99999999999999999999"))}"), [400]),
            ("a 300-character branch", SendAsync(http, HttpMethod.Post, $"{api}/branch/{new string('b', 300)}"), [400]),
            ("batch of 1,001 objects", SendAsync(http, HttpMethod.Post, $"{hub.Url}/datasets/{Repo}.git/info/lfs/objects/batch", Encoding.UTF8.GetBytes("""{"operation":"upload","objects":[""" + string.Join(",", Enumerable.Range(0, 1001).Select(i => $$"""{"oid":"{{i:x64}}","size":1}""")) + "]}"), "application/vnd.git-lfs+json"), [413]),
            ("batch without objects", SendAsync(http, HttpMethod.Post, $"{hub.Url}/datasets/{Repo}.git/info/lfs/objects/batch", Encoding.UTF8.GetBytes("""{"operation":"upload","objects":7}"""), "application/vnd.git-lfs+json"), [422]),
            ("paths-info body an array", SendAsync(http, HttpMethod.Post, $"{api}/paths-info/main", Encoding.UTF8.GetBytes("[1]")), [400]),
            ("create-repo body an array", SendAsync(http, HttpMethod.Post, $"{hub.Url}/api/repos/create", Encoding.UTF8.GetBytes("[]")), [400]),
            ("not JSON at all", SendAsync(http, HttpMethod.Post, $"{hub.Url}/api/repos/create", "{{{"u8.ToArray()), [400]),
            ("a tag with a space", SendAsync(http, HttpMethod.Post, $"{api}/tag/main", Encoding.UTF8.GetBytes("""{"tag":"v 1"}""")), [400]),
            ("a tag named like a commit", SendAsync(http, HttpMethod.Post, $"{api}/tag/main", Encoding.UTF8.GetBytes($$"""{"tag":"{{new string('a', 40)}}"}""")), [400]),

            // Found by fuzzing whole requests (fuzz target http).
            ("preupload without files", SendAsync(http, HttpMethod.Post, $"{api}/preupload/main", Encoding.UTF8.GetBytes("""{"filew":[{"path":"a.csv","size":6}]}""")), [400]),
            ("a form key over 2 KB", SendAsync(http, HttpMethod.Post, $"{api}/paths-info/main", Encoding.UTF8.GetBytes(new string('k', 3000) + "=1"), "application/x-www-form-urlencoded"), [400]),
            ("no such endpoint", SendAsync(http, HttpMethod.Get, $"{hub.Url}/no/such/thing"), [404]),
            ("a method the route does not take", SendAsync(http, HttpMethod.Put, $"{hub.Url}/api/whoami-v2"), [405, 501]),
            ("a method no route takes", SendAsync(http, HttpMethod.Patch, $"{hub.Url}/datasets/{Repo}/resolve/main/data/b.csv"), [404, 405]),
        };

        foreach (var (name, request, expected) in cases)
        {
            var (status, body, headers) = await request;
            Assert.True(expected.Contains(status), $"{name}: HTTP {status} {body}");
            Assert.Contains("\"error\"", body);
            Assert.True(headers.Contains("X-Error-Message"), name);
        }

        // A branch name with slashes is the whole name, not its first segment.
        Assert.Equal(200, (await SendAsync(http, HttpMethod.Post, $"{api}/branch/feat/x")).Status);

        // Git's rule, and a file system's: a ref is not both a name and a folder of names (found by fuzzing: a 500).
        var (folderStatus, folderBody, _) = await SendAsync(http, HttpMethod.Post, $"{api}/branch/feat");
        Assert.Equal(409, folderStatus);
        Assert.EndsWith("other branch names start with 'feat/'", System.Text.Json.JsonDocument.Parse(folderBody).RootElement.GetProperty("error").GetString());
        var (nameStatus, nameBody, _) = await SendAsync(http, HttpMethod.Post, $"{api}/branch/feat/x/y");
        Assert.Equal(409, nameStatus);
        Assert.EndsWith("branch 'feat/x' exists", System.Text.Json.JsonDocument.Parse(nameBody).RootElement.GetProperty("error").GetString());
        using var client2 = hub.Client();
        Assert.NotNull(await client2.GetRepoAsync(RepoId.Parse(Repo), "feat/x"));
        Assert.Null(await client2.GetRepoAsync(RepoId.Parse(Repo), "feat"));

        // Range: malformed or several ranges are ignored (200, whole file); a range past the end is 416.
        var file = $"{hub.Url}/datasets/{Repo}/resolve/main/data/b.csv";
        Assert.Equal(200, (await SendAsync(http, HttpMethod.Get, file, range: "bytes=abc")).Status);
        Assert.Equal(200, (await SendAsync(http, HttpMethod.Get, file, range: "bytes=0-1,3-4")).Status);
        Assert.Equal(416, (await SendAsync(http, HttpMethod.Get, file, range: "bytes=999999-")).Status);
        Assert.Equal(206, (await SendAsync(http, HttpMethod.Get, file, range: "bytes=2-")).Status);

        // Still up, and every file of every commit downloads with its recorded hash.
        foreach (var commit in await client2.ListCommitsAsync(RepoId.Parse(Repo)))
        {
            var pulled = await new SnapshotDownloader(client2).PullAsync(RepoId.Parse(Repo), new PullOptions { Revision = commit.Oid, Cache = new HfCache(TestPaths.NewTempDir()) });
            Assert.All(pulled.Files, f => Assert.True(f.Downloaded));
        }
    }

    [Fact]
    public async Task AReusedUploadUrlWithOtherBytesIsRefusedAndTheObjectStaysIntact()
    {
        await using var hub = await LocalHub.StartAsync();
        using (var client = hub.Client())
        {
            await client.CreateRepoAsync(RepoId.Parse(Repo), isPrivate: false);
        }

        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", LocalHub.Token);
        var bytes = Bytes.Deterministic(5_000, 1);
        var sha = Bytes.Sha256(bytes);
        var batch = await SendAsync(http, HttpMethod.Post, $"{hub.Url}/datasets/{Repo}.git/info/lfs/objects/batch", Encoding.UTF8.GetBytes("{\"operation\":\"upload\",\"transfers\":[\"basic\"],\"objects\":[{\"oid\":\"" + sha + "\",\"size\":5000}]}"), "application/vnd.git-lfs+json");
        var href = System.Text.Json.Nodes.JsonNode.Parse(batch.Body)!["objects"]![0]!["actions"]!["upload"]!["href"]!.GetValue<string>();
        using var plain = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await plain.PutAsync(href, new ByteArrayContent(bytes))).StatusCode);
        var other = Bytes.Deterministic(5_000, 2);
        using var reused = await plain.PutAsync(href, new ByteArrayContent(other));
        Assert.Equal(HttpStatusCode.BadRequest, reused.StatusCode);
        Assert.Contains("sha256 mismatch", await reused.Content.ReadAsStringAsync());
        var stored = Directory.EnumerateFiles(Path.Combine(hub.Root, "objects", "lfs"), sha, SearchOption.AllDirectories).Single();
        Assert.Equal(bytes, await File.ReadAllBytesAsync(stored));
    }
}
