using Alimentar.Hub.Cards;
using Alimentar.Hub.Client;
using Alimentar.Hub.Repos;

namespace Alimentar.Hub.Publishing;

/// <summary>A dataset card failed validation; <see cref="Issues"/> holds every problem.</summary>
public sealed class DatasetCardException(IReadOnlyList<CardIssue> issues)
    : Exception(string.Join("\n\n", issues.Where(i => i.IsError).Select(i => i.Format())))
{
    public IReadOnlyList<CardIssue> Issues { get; } = issues;
}

/// <summary>
/// Publishes to one Hub repo, in the style of the publishing guide's API:
/// <code>
/// var publisher = new HfPublisher("paiml/my-dataset").WithToken(token).WithCommitMessage("Upload");
/// publisher.UploadParquetFile("data.parquet", "data/train.parquet");
/// publisher.UploadReadmeValidated(readme);
/// </code>
/// The repo is created on first use. Binary files go through LFS, text inline, each call is one commit.
/// </summary>
public sealed class HfPublisher
{
    private string? _token;
    private string? _endpoint;
    private string? _message;
    private string _revision = "main";
    private bool _private;
    private HubClientOptions? _clientOptions;

    public HfPublisher(string repoId, RepoType type = RepoType.Dataset) => Repo = RepoId.Parse(repoId, type);

    public RepoId Repo { get; }

    public HfPublisher WithToken(string token)
    {
        _token = token;
        return this;
    }

    /// <summary>The Hub to use; by default HF_ENDPOINT or https://huggingface.co.</summary>
    public HfPublisher WithEndpoint(string endpoint)
    {
        _endpoint = endpoint;
        return this;
    }

    public HfPublisher WithCommitMessage(string message)
    {
        _message = message;
        return this;
    }

    public HfPublisher WithRevision(string revision)
    {
        _revision = revision;
        return this;
    }

    public HfPublisher WithPrivate(bool isPrivate = true)
    {
        _private = isPrivate;
        return this;
    }

    /// <summary>Retry, parallelism and transport settings (endpoint and token set here win over these).</summary>
    public HfPublisher WithClientOptions(HubClientOptions options)
    {
        _clientOptions = options;
        return this;
    }

    public CommitResult UploadParquetFile(string localPath, string pathInRepo) => UploadParquetFileAsync(localPath, pathInRepo).GetAwaiter().GetResult();

    public async Task<CommitResult> UploadParquetFileAsync(string localPath, string pathInRepo, CancellationToken cancel = default)
    {
        if (!ParquetMagic.IsParquet(localPath))
        {
            throw new ArgumentException($"{localPath}: not a Parquet file");
        }

        return await CommitAsync([AddFileOperation.FromPath(localPath, pathInRepo)], cancel);
    }

    public CommitResult UploadReadmeValidated(string readmeContent) => UploadReadmeValidatedAsync(readmeContent).GetAwaiter().GetResult();

    /// <summary>Validates the card against the Hub's allowed values (and configs against the repo's files), then commits it.</summary>
    public async Task<CommitResult> UploadReadmeValidatedAsync(string readmeContent, CancellationToken cancel = default)
    {
        using var client = CreateClient();
        var snapshot = await client.GetRepoAsync(Repo, _revision, cancel);
        var files = (snapshot?.Files ?? []).Append("README.md").ToList();
        var result = new DatasetCardValidator().Validate(readmeContent, files);
        if (!result.IsValid)
        {
            throw new DatasetCardException(result.Issues);
        }

        return await CommitAsync([AddFileOperation.FromBytes(System.Text.Encoding.UTF8.GetBytes(readmeContent), "README.md")], cancel);
    }

    /// <summary>Any list of operations as one commit.</summary>
    public async Task<CommitResult> CommitAsync(IReadOnlyList<CommitOperation> operations, CancellationToken cancel = default)
    {
        using var client = CreateClient();
        if (await client.GetRepoAsync(Repo, "main", cancel) is null)
        {
            await client.CreateRepoAsync(Repo, _private, cancel);
        }

        return await client.CommitAsync(new CommitRequest { Repo = Repo, Operations = operations, Message = _message ?? "Upload with alimentar", Revision = _revision }, cancel);
    }

    internal string? CommitMessage => _message;

    internal string Revision => _revision;

    internal bool Private => _private;

    /// <summary>The endpoint as given (WithEndpoint, the client options, HF_ENDPOINT), not yet checked: the pipelines layer also accepts <c>local</c>.</summary>
    internal string? RequestedEndpoint => _endpoint ?? _clientOptions?.Endpoint ?? Environment.GetEnvironmentVariable("HF_ENDPOINT");

    internal HubClientOptions ClientOptions()
    {
        var endpoint = HubConfig.ResolveEndpoint(_endpoint ?? _clientOptions?.Endpoint);
        var token = HubConfig.ResolveToken(_token ?? _clientOptions?.Token)
            ?? throw new InvalidOperationException("no Hugging Face token: call WithToken, set HF_TOKEN, or log in with `hf auth login`");
        return (_clientOptions ?? new HubClientOptions { Endpoint = endpoint }) with { Endpoint = endpoint, Token = token };
    }

    internal HubClientOptions LocalClientOptions() => (_clientOptions ?? new HubClientOptions { Endpoint = "local" }) with { Endpoint = "local" };

    private HubClient CreateClient() => new(ClientOptions());
}
