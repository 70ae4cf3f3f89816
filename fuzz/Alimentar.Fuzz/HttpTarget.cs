using System.Net;
using System.Text;
using Alimentar.Server;

namespace Alimentar.Fuzz;

/// <summary>
/// Whole HTTP requests against a running <c>hub serve</c> (in process, on a loopback port): the input is a request
/// in text form, request line, headers, a blank line, the body, so mutations reach the method, the route, the query,
/// the headers and the body alike. A 5xx answer (but 501, the deliberate answer to a Hub endpoint it does not have),
/// an answer without the Hub's error JSON, or a server that stops answering is a bug; requests the client library
/// refuses to send (a header it cannot write) are not the server's concern.
/// </summary>
internal static class HttpTarget
{
    private const string Token = "hf_fuzz_admin_token_0123456789";

    private static readonly Lazy<(HubServer Server, HttpClient Client)> Hub = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    public static FuzzTarget Create() => new("http", () => Seeds.Select(s => Encoding.UTF8.GetBytes(s.Replace("\n", "\r\n", StringComparison.Ordinal))).ToList(), Send, ex => ex is RefusedByClient);

    // A repo with a file, so that reads, trees, commits on top of it and downloads have something to work on.
    private static readonly string[] Seeds =
    [
        "POST /api/repos/create HTTP/1.1\nAuthorization: Bearer " + Token + "\nContent-Type: application/json\n\n{\"type\":\"dataset\",\"name\":\"fuzz\",\"organization\":\"tester\",\"private\":false}",
        "POST /api/datasets/tester/fuzz/commit/main HTTP/1.1\nAuthorization: Bearer " + Token + "\nContent-Type: application/x-ndjson\n\n" +
            "{\"key\":\"header\",\"value\":{\"summary\":\"add\",\"description\":\"\"}}\n{\"key\":\"file\",\"value\":{\"content\":\"aGVsbG8K\",\"path\":\"data/a.csv\",\"encoding\":\"base64\"}}\n",
        "POST /api/datasets/tester/fuzz/commit/main HTTP/1.1\nAuthorization: Bearer " + Token + "\nContent-Type: application/x-ndjson\n\n" +
            "{\"key\":\"header\",\"value\":{\"summary\":\"lfs\"}}\n{\"key\":\"lfsFile\",\"value\":{\"path\":\"big.bin\",\"algo\":\"sha256\",\"oid\":\"" + new string('a', 64) + "\",\"size\":12}}\n{\"key\":\"deletedFile\",\"value\":{\"path\":\"x\"}}\n",
        "POST /datasets/tester/fuzz.git/info/lfs/objects/batch HTTP/1.1\nAuthorization: Bearer " + Token + "\nContent-Type: application/vnd.git-lfs+json\nAccept: application/vnd.git-lfs+json\n\n" +
            "{\"operation\":\"upload\",\"transfers\":[\"basic\",\"multipart\"],\"objects\":[{\"oid\":\"" + new string('b', 64) + "\",\"size\":2000000}],\"hash_algo\":\"sha256\",\"ref\":{\"name\":\"main\"}}",
        "POST /api/datasets/tester/fuzz/preupload/main HTTP/1.1\nAuthorization: Bearer " + Token + "\nContent-Type: application/json\n\n{\"files\":[{\"path\":\"a.csv\",\"size\":6,\"sample\":\"aGVsbG8K\"}]}",
        "POST /api/datasets/tester/fuzz/paths-info/main HTTP/1.1\nAuthorization: Bearer " + Token + "\nContent-Type: application/x-www-form-urlencoded\n\npaths=data%2Fa.csv&expand=true",
        "GET /api/datasets/tester/fuzz/tree/main/data?recursive=true&expand=true&cursor=MTA HTTP/1.1\nAuthorization: Bearer " + Token + "\n\n",
        "GET /datasets/tester/fuzz/resolve/main/data/a.csv HTTP/1.1\nRange: bytes=1-3\n\n",
        "GET /api/datasets/tester/fuzz/revision/main?expand[]=cardData HTTP/1.1\n\n",
        "GET /api/datasets/tester/fuzz/commits/main?p=0&limit=5 HTTP/1.1\n\n",
        "POST /api/datasets/tester/fuzz/branch/feature HTTP/1.1\nAuthorization: Bearer " + Token + "\nContent-Type: application/json\n\n{\"startingPoint\":\"main\"}",
        "POST /api/datasets/tester/fuzz/tag/v1 HTTP/1.1\nAuthorization: Bearer " + Token + "\nContent-Type: application/json\n\n{\"tag\":\"v1\",\"message\":\"m\"}",
        "PUT /api/datasets/tester/fuzz/settings HTTP/1.1\nAuthorization: Bearer " + Token + "\nContent-Type: application/json\n\n{\"private\":true,\"gated\":false}",
        "POST /api/validate-yaml HTTP/1.1\nContent-Type: application/json\n\n{\"content\":\"---\\nlicense: mit\\nconfigs:\\n- config_name: default\\n  data_files: data/*.csv\\n---\\n\",\"repoType\":\"dataset\"}",
        "GET /api/whoami-v2 HTTP/1.1\nAuthorization: Bearer " + Token + "\n\n",
        "POST /api/repos/move HTTP/1.1\nAuthorization: Bearer " + Token + "\nContent-Type: application/json\n\n{\"fromRepo\":\"tester/fuzz2\",\"toRepo\":\"tester/fuzz3\",\"type\":\"dataset\"}",
        "DELETE /api/datasets/tester/fuzz/branch/feature HTTP/1.1\nAuthorization: Bearer " + Token + "\n\n",
    ];

    private static (HubServer, HttpClient) Start()
    {
        var root = Path.Combine(Path.GetTempPath(), $"alimentar-fuzz-hub-{Environment.ProcessId}");
        Directory.CreateDirectory(root);
        var tokens = root + ".tokens";
        File.WriteAllText(tokens, $"{Token} tester admin\n");
        var server = HubServer.StartAsync(new HubServerOptions { Root = root, Port = 0, TokensFile = tokens, TreePageSize = 3, MultipartThreshold = 1 << 20, MultipartChunkSize = 1 << 18 }).GetAwaiter().GetResult();
        var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(server.Url), Timeout = TimeSpan.FromSeconds(10) };

        // The repo the seeds work on exists from the start, so that a saved input replays against the same state.
        foreach (var seed in Seeds.Take(2))
        {
            using var request = Parse(Encoding.UTF8.GetBytes(seed.Replace("\n", "\r\n", StringComparison.Ordinal)));
            using var response = client.Send(request);
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
            Directory.Delete(root, recursive: true);
            File.Delete(tokens);
        };
        return (server, client);
    }

    private static void Send(byte[] input)
    {
        var (_, client) = Hub.Value;
        using var request = Parse(input);
        HttpResponseMessage response;
        try
        {
            response = client.Send(request);
        }
        catch (HttpRequestException ex) when (ex.InnerException is InvalidOperationException or FormatException or ArgumentException)
        {
            throw new RefusedByClient(ex.Message);
        }

        using (response)
        {
            var body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
            // 501 is the server's deliberate "not implemented" for Hub endpoints it does not have.
            if ((int)response.StatusCode >= 500 && response.StatusCode != HttpStatusCode.NotImplemented)
            {
                throw new InvalidOperationException($"{request.Method} {Short(request.RequestUri)}: {(int)response.StatusCode} {body}");
            }

            // Errors carry the Hub's error JSON ({"error": ...}, or validate-yaml's {"errors": [...]}) so clients can show why; HEAD answers have no body, and
            // Kestrel answers a request line or headers over its limits (414, 431) before any endpoint sees them
            // (a malformed request line, such as a NUL in the path, is Kestrel's 400 and closes the connection).
            var framing = response.StatusCode is HttpStatusCode.RequestUriTooLong or HttpStatusCode.RequestHeaderFieldsTooLarge
                || (response.StatusCode == HttpStatusCode.BadRequest && response.Headers.ConnectionClose == true && body.Length == 0);
            if ((int)response.StatusCode >= 400 && request.Method != HttpMethod.Head && !framing && !body.Contains("\"error", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{request.Method} {Short(request.RequestUri)}: {(int)response.StatusCode} without the error JSON: {body}");
            }
        }
    }

    // Request line, headers, blank line, body; what cannot be expressed as a request the client would send is refused.
    private static HttpRequestMessage Parse(byte[] input)
    {
        var end = input.AsSpan().IndexOf("\r\n\r\n"u8);
        var head = Encoding.UTF8.GetString(end < 0 ? input : input[..end]);
        var body = end < 0 ? [] : input[(end + 4)..];
        var lines = head.Split("\r\n");
        var parts = lines[0].Split(' ');
        if (parts.Length < 2 || parts[0].Length == 0 || !parts[1].StartsWith('/') || parts[1].StartsWith("//", StringComparison.Ordinal))
        {
            throw new RefusedByClient("no request line");
        }

        HttpRequestMessage request;
        try
        {
            request = new HttpRequestMessage(new HttpMethod(parts[0]), new Uri(parts[1], UriKind.Relative)) { Version = HttpVersion.Version11 };
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or UriFormatException)
        {
            throw new RefusedByClient(ex.Message);
        }

        if (body.Length > 0 || request.Method == HttpMethod.Post || request.Method == HttpMethod.Put)
        {
            request.Content = new ByteArrayContent(body);
        }

        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var (name, value) = (line[..colon], line[(colon + 1)..].Trim());
            if (!(name + value).All(c => c is '\t' or (>= ' ' and <= '~')))
            {
                throw new RefusedByClient("a header the client cannot write (HTTP headers are ASCII)");
            }

            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) || name.Equals("Host", StringComparison.OrdinalIgnoreCase) || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                continue; // framing is the client's: a lying length only tests the client's own checks
            }

            if (!request.Headers.TryAddWithoutValidation(name, value) && request.Content is not null)
            {
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return request;
    }

    private static string Short(Uri? uri) => uri?.ToString() is { Length: > 200 } text ? text[..200] + "..." : uri?.ToString() ?? string.Empty;

    /// <summary>An input the HTTP client would not send as a request: not the server's failure.</summary>
    private sealed class RefusedByClient(string message) : Exception(message);
}
