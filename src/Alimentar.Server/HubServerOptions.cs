namespace Alimentar.Server;

/// <summary>Settings of a self-hosted Hub.</summary>
public sealed record HubServerOptions
{
    public required string Root { get; init; }

    public string Host { get; init; } = "127.0.0.1";

    /// <summary>0 picks a free port.</summary>
    public int Port { get; init; } = 8080;

    /// <summary>Base URL written into responses; by default derived from each request's Host header.</summary>
    public string? PublicUrl { get; init; }

    /// <summary>Administrator tokens (user <c>admin</c>): every namespace, every repo.</summary>
    public IReadOnlyList<string> Tokens { get; init; } = [];

    /// <summary>Lines of <c>TOKEN USER read|write|admin</c>: users who own the namespace of their name.</summary>
    public string? TokensFile { get; init; }

    /// <summary>Lines of <c>ORG USER read|write|admin</c>: organizations, their members and roles.</summary>
    public string? OrganizationsFile { get; init; }

    /// <summary>LFS objects larger than this get a multipart upload.</summary>
    public long MultipartThreshold { get; init; } = 100L * 1024 * 1024;

    public long MultipartChunkSize { get; init; } = 64L * 1024 * 1024;

    public int TreePageSize { get; init; } = 1000;

    public long MaxJsonBodyBytes { get; init; } = 64L * 1024 * 1024;

    public long MaxCommitBodyBytes { get; init; } = 1024L * 1024 * 1024;

    public long MaxObjectBytes { get; init; } = 500L * 1000 * 1000 * 1000;

    public TimeSpan SignedUrlLifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>After a repo is deleted, objects no repo refers to are removed once they are this old (an upload may await its commit).</summary>
    public TimeSpan GarbageGracePeriod { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Fault-injection rules (JSON file); none by default.</summary>
    public string? FaultsFile { get; init; }
}
