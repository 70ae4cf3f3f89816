namespace Alimentar.Hub.Repos;

/// <summary>
/// The <c>X-Error-Code</c> values the Hub sends and the official clients act on (huggingface_hub maps them to
/// RepositoryNotFoundError, RevisionNotFoundError, EntryNotFoundError and GatedRepoError), written once for the
/// server that sends them and the client that reads them.
/// </summary>
public static class HubErrorCodes
{
    public const string RepoNotFound = "RepoNotFound";
    public const string RevisionNotFound = "RevisionNotFound";
    public const string EntryNotFound = "EntryNotFound";
    public const string GatedRepo = "GatedRepo";

    /// <summary>Ours: a route the self-hosted server does not implement (never a bare 404 a client reads as "repo not found").</summary>
    public const string NotImplemented = "NotImplemented";
}
