using System.Net;
using System.Text.Json;
using Alimentar.Hub.Security;

namespace Alimentar.Hub.Client;

/// <summary>A Hub request failed. The message never contains the token.</summary>
public class HubApiException(string message, HttpStatusCode? status = null, string? errorCode = null, Exception? inner = null)
    : Exception(TokenRedactor.Redact(message), inner)
{
    public HttpStatusCode? StatusCode { get; } = status;

    /// <summary>The Hub's X-Error-Code (RepoNotFound, RevisionNotFound, EntryNotFound, GatedRepo), if any.</summary>
    public string? ErrorCode { get; } = errorCode;

    internal static async Task<HubApiException> FromResponseAsync(HttpResponseMessage response, string what)
    {
        var code = response.Headers.TryGetValues("X-Error-Code", out var codes) ? codes.FirstOrDefault() : null;
        var detail = response.Headers.TryGetValues("X-Error-Message", out var messages) ? messages.FirstOrDefault() : null;
        try
        {
            var body = await response.Content.ReadAsStringAsync();
            if (detail is null && body.Length > 0)
            {
                try
                {
                    using var json = JsonDocument.Parse(body);
                    detail = json.RootElement.TryGetProperty("error", out var error) ? error.ToString() : json.RootElement.TryGetProperty("message", out var m) ? m.ToString() : null;
                }
                catch (JsonException)
                {
                    detail = body.Length > 200 ? body[..200] : body;
                }
            }
        }
        catch (HttpRequestException)
        {
        }

        var status = (int)response.StatusCode;
        return new HubApiException($"{what} failed: HTTP {status}{(code is null ? string.Empty : $" {code}")}{(string.IsNullOrEmpty(detail) ? string.Empty : $": {detail}")}", response.StatusCode, code);
    }
}

/// <summary>The commit's outcome could not be determined; nothing was retried, so no second commit was made.</summary>
public sealed class CommitStatusUnknownException(string message, Exception? inner = null) : HubApiException(message, null, null, inner);
