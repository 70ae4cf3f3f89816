using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Alimentar.Hub.Client;
using Alimentar.Hub.Repos;
using Alimentar.Tests.Support;

namespace Alimentar.Tests.Hub;

/// <summary>
/// Who may do what on the self-hosted hub, as on the Hub: users own their namespace, organizations grant roles,
/// private means visible to the namespace's members only, and a known SHA-256 gives no access to a stored object.
/// </summary>
public sealed class AccessControlTests
{
    private const string Alice = "hf_alice_token_000000001";
    private const string Bob = "hf_bob_token_0000000002";
    private const string Carol = "hf_carol_token_00000003";
    private const string Dave = "hf_dave_token_000000004";

    private const string Users = $"{Alice} alice write\n{Bob} bob write\n{Carol} carol read\n{Dave} dave write\n";
    private const string Orgs = "# org user role\nacme alice admin\nacme bob write\nacme carol read\nacme dave read\n";

    private static readonly RepoId Secret = new(RepoType.Dataset, "alice", "secret");

    [Fact]
    public async Task APrivateRepoIsVisibleOnlyToItsNamespaceAndEveryoneElseGetsRepoNotFound()
    {
        await using var hub = await Start();
        using var alice = hub.Client(Alice);
        await alice.CreateRepoAsync(Secret, isPrivate: true);
        await alice.CommitAsync(new CommitRequest { Repo = Secret, Message = "data", Operations = [AddFileOperation.FromBytes("secret rows"u8.ToArray(), "notes.txt"), AddFileOperation.FromBytes(SecretBytes, "data.bin")] });

        foreach (var token in new[] { Bob, Carol, Dave, null })
        {
            using var http = Http(hub, token);
            foreach (var path in new[] { "/api/datasets/alice/secret", "/api/datasets/alice/secret/tree/main", "/api/datasets/alice/secret/refs", "/api/datasets/alice/secret/commits/main", "/datasets/alice/secret/resolve/main/notes.txt", "/datasets/alice/secret/resolve/main/data.bin" })
            {
                using var response = await http.GetAsync(path);
                Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{token ?? "anonymous"} GET {path}: {response.StatusCode}");
                Assert.Equal("RepoNotFound", response.Headers.GetValues("X-Error-Code").Single());
            }
        }

        // Alice herself, and the server's administrator, see it.
        using var own = Http(hub, Alice);
        Assert.Equal("secret rows", await own.GetStringAsync("/datasets/alice/secret/resolve/main/notes.txt"));
        using var admin = Http(hub, LocalHub.Token);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/datasets/alice/secret")).StatusCode);
    }

    [Fact]
    public async Task WritesNeedWriteAccessToTheNamespace()
    {
        await using var hub = await Start();
        using var alice = hub.Client(Alice);
        await alice.CreateRepoAsync(new RepoId(RepoType.Dataset, "alice", "open"), isPrivate: false);

        using var bob = Http(hub, Bob);
        Assert.Equal(HttpStatusCode.Forbidden, (await Create(bob, "alice", "mine")).StatusCode);
        var commit = await Commit(bob, "alice/open", """{"key":"file","value":{"path":"x.txt","content":"eA==","encoding":"base64"}}""");
        Assert.Equal(HttpStatusCode.Forbidden, commit.StatusCode);
        Assert.Contains("write", await commit.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.PostAsync("/api/datasets/alice/open/branch/dev", null)).StatusCode);

        // Their own namespace and an organization they write to are fine.
        Assert.Equal(HttpStatusCode.OK, (await Create(bob, "bob", "mine")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Create(bob, "acme", "shared")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Commit(bob, "acme/shared", """{"key":"file","value":{"path":"x.txt","content":"eA==","encoding":"base64"}}""")).StatusCode);

        // A read member sees the organization's repos but changes nothing; a read token cannot write even at home.
        using var carol = Http(hub, Carol);
        Assert.Equal(HttpStatusCode.Forbidden, (await Create(carol, "acme", "carols")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Create(carol, "carol", "home")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Commit(carol, "acme/shared", """{"key":"deletedFile","value":{"path":"x.txt"}}""")).StatusCode);
        using var anonymous = Http(hub, null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Commit(anonymous, "acme/shared", """{"key":"deletedFile","value":{"path":"x.txt"}}""")).StatusCode);
    }

    [Fact]
    public async Task PrivateOrganizationReposFollowTheMembersRoles()
    {
        await using var hub = await Start();
        using var alice = hub.Client(Alice);
        var repo = new RepoId(RepoType.Dataset, "acme", "internal");
        await alice.CreateRepoAsync(repo, isPrivate: true);

        using var carol = Http(hub, Carol);
        Assert.Equal(HttpStatusCode.OK, (await carol.GetAsync("/api/datasets/acme/internal")).StatusCode);
        using var outsider = hub.Client("hf_unknown_token_99999999");
        Assert.Null(await outsider.GetRepoAsync(repo));

        // Settings, moving and deleting need the admin role: bob (write) may push but not do these.
        using var bob = Http(hub, Bob);
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.PutAsync("/api/datasets/acme/internal/settings", Json("""{"private":false}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.PostAsync("/api/repos/move", Json("""{"fromRepo":"acme/internal","toRepo":"bob/internal","type":"dataset"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/repos/delete") { Content = Json("""{"name":"internal","organization":"acme","type":"dataset"}""") })).StatusCode);

        // Alice (admin of acme) may not move it into bob's namespace either: that needs write access there.
        using var aliceHttp = Http(hub, Alice);
        Assert.Equal(HttpStatusCode.Forbidden, (await aliceHttp.PostAsync("/api/repos/move", Json("""{"fromRepo":"acme/internal","toRepo":"bob/internal","type":"dataset"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await aliceHttp.PutAsync("/api/datasets/acme/internal/settings", Json("""{"private":false}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await aliceHttp.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/repos/delete") { Content = Json("""{"name":"internal","organization":"acme","type":"dataset"}""") })).StatusCode);
    }

    [Fact]
    public async Task WhoamiListsTheUsersOrganizationsAsTheHubDoes()
    {
        await using var hub = await Start();
        using var bob = Http(hub, Bob);
        using var whoami = JsonDocument.Parse(await bob.GetStringAsync("/api/whoami-v2"));
        Assert.Equal("bob", whoami.RootElement.GetProperty("name").GetString());
        var org = Assert.Single(whoami.RootElement.GetProperty("orgs").EnumerateArray());
        Assert.Equal("acme", org.GetProperty("name").GetString());
        Assert.Equal("write", org.GetProperty("roleInOrg").GetString());
        Assert.Equal("write", whoami.RootElement.GetProperty("auth").GetProperty("accessToken").GetProperty("role").GetString());
    }

    [Fact]
    public async Task KnowingTheSha256OfAPrivateObjectGivesNoAccessToIt()
    {
        await using var hub = await Start();
        await AliceStoresASecret(hub);
        var oid = Convert.ToHexStringLower(SHA256.HashData(SecretBytes));
        var unknown = Convert.ToHexStringLower(SHA256.HashData("never uploaded"u8));

        using var bob = Http(hub, Bob);
        Assert.Equal(HttpStatusCode.OK, (await Create(bob, "bob", "steal")).StatusCode);

        // Committing a pointer without uploading is refused exactly as for an object nobody stored.
        var stolen = await Commit(bob, "bob/steal", LfsLine("data.bin", oid, SecretBytes.Length));
        var missing = await Commit(bob, "bob/steal", LfsLine("data.bin", unknown, SecretBytes.Length));
        Assert.Equal(HttpStatusCode.BadRequest, stolen.StatusCode);
        Assert.Equal(missing.StatusCode, stolen.StatusCode);
        Assert.Equal((await missing.Content.ReadAsStringAsync()).Replace(unknown, "X", StringComparison.Ordinal), (await stolen.Content.ReadAsStringAsync()).Replace(oid, "X", StringComparison.Ordinal));

        // The batch API asks for the bytes, as for an unknown object, instead of answering "already stored".
        var batch = await Batch(bob, "bob/steal", oid, SecretBytes.Length);
        Assert.True(batch.TryGetProperty("actions", out var actions) && actions.TryGetProperty("upload", out _), batch.ToString());
        using var verify = await bob.PostAsync("/datasets/bob/steal.git/info/lfs/objects/verify", Json($$"""{"oid":"{{oid}}","size":{{SecretBytes.Length}}}"""));
        Assert.Equal(HttpStatusCode.NotFound, verify.StatusCode);

        // Wrong bytes are refused; the right bytes prove possession, and then the commit goes through.
        var href = actions.GetProperty("upload").GetProperty("href").GetString()!;
        using var raw = new HttpClient();
        Assert.Equal(HttpStatusCode.BadRequest, (await raw.PutAsync(href, new ByteArrayContent(new byte[SecretBytes.Length]))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Commit(bob, "bob/steal", LfsLine("data.bin", oid, SecretBytes.Length))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await raw.PutAsync(href, new ByteArrayContent(SecretBytes))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Commit(bob, "bob/steal", LfsLine("data.bin", oid, SecretBytes.Length))).StatusCode);
        Assert.Equal(SecretBytes, await bob.GetByteArrayAsync("/datasets/bob/steal/resolve/main/data.bin"));

        // The object stays stored once, and alice's repo is untouched.
        Assert.Equal(SecretBytes, await Http(hub, Alice).GetByteArrayAsync("/datasets/alice/secret/resolve/main/data.bin"));
    }

    [Fact]
    public async Task AnObjectInARepoTheCommitterCanReadMayBeReferencedWithoutUploadingAgain()
    {
        await using var hub = await Start();
        await AliceStoresASecret(hub);
        var oid = Convert.ToHexStringLower(SHA256.HashData(SecretBytes));

        using var http = Http(hub, Alice);
        Assert.Equal(HttpStatusCode.OK, (await Create(http, "alice", "copy")).StatusCode);
        Assert.False((await Batch(http, "alice/copy", oid, SecretBytes.Length)).TryGetProperty("actions", out _));
        Assert.Equal(HttpStatusCode.OK, (await Commit(http, "alice/copy", LfsLine("copy.bin", oid, SecretBytes.Length))).StatusCode);

        // Repos stored before holdings were recorded get them from their commits.
        Directory.Delete(Path.Combine(hub.Root, "repos", "datasets", "alice", "copy", "objects"), recursive: true);
        Assert.Equal(HttpStatusCode.OK, (await Commit(http, "alice/copy", LfsLine("again.bin", oid, SecretBytes.Length))).StatusCode);
    }

    [Theory]
    [InlineData("acme alice\n", "expected 'ORG USER read|write|admin'")]
    [InlineData("acme alice owner\n", "expected 'ORG USER read|write|admin'")]
    [InlineData("bob alice read\n", "'bob' is the name of a user")]
    public async Task AMalformedOrganizationsFileIsRefusedWithTheLine(string organizations, string message)
    {
        var error = await Assert.ThrowsAsync<FormatException>(() => LocalHub.StartAsync(users: Users, organizations: organizations));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Contains(":1:", error.Message, StringComparison.Ordinal);
    }

    private static byte[] SecretBytes { get; } = Bytes.Deterministic(3000, 42);

    private static async Task AliceStoresASecret(LocalHub hub)
    {
        using var alice = hub.Client(Alice);
        await alice.CreateRepoAsync(Secret, isPrivate: true);
        await alice.CommitAsync(new CommitRequest { Repo = Secret, Message = "data", Operations = [AddFileOperation.FromBytes(SecretBytes, "data.bin")] });
    }

    private static Task<LocalHub> Start() => LocalHub.StartAsync(users: Users, organizations: Orgs);

    private static HttpClient Http(LocalHub hub, string? token)
    {
        var http = new HttpClient { BaseAddress = new Uri(hub.Url) };
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return http;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static Task<HttpResponseMessage> Create(HttpClient http, string ns, string name) =>
        http.PostAsync("/api/repos/create", Json($$"""{"name":"{{name}}","organization":"{{ns}}","type":"dataset"}"""));

    private static Task<HttpResponseMessage> Commit(HttpClient http, string repo, string line) =>
        http.PostAsync($"/api/datasets/{repo}/commit/main", new StringContent(
            """{"key":"header","value":{"summary":"s","description":""}}""" + "\n" + line + "\n", Encoding.UTF8, "application/x-ndjson"));

    private static string LfsLine(string path, string oid, long size) =>
        $$$"""{"key":"lfsFile","value":{"path":"{{{path}}}","algo":"sha256","oid":"{{{oid}}}","size":{{{size}}}}}""";

    private static async Task<JsonElement> Batch(HttpClient http, string repo, string oid, long size)
    {
        using var response = await http.PostAsync($"/datasets/{repo}.git/info/lfs/objects/batch", Json($$"""{"operation":"upload","transfers":["basic"],"objects":[{"oid":"{{oid}}","size":{{size}}}]}"""));
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("objects")[0].Clone();
    }
}
