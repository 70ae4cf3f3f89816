namespace Alimentar.Server.Security;

/// <summary>What a token allows at most, whatever its user's roles: a read token never writes.</summary>
public enum TokenRole
{
    Read,
    Write,

    /// <summary>The server's administrators (<c>--token</c>, the local token): every namespace, every repo.</summary>
    Admin,
}

/// <summary>A caller, as identified by its token.</summary>
public sealed record HubUser(string Name, TokenRole Role)
{
    public bool CanWrite => Role >= TokenRole.Write;
}
