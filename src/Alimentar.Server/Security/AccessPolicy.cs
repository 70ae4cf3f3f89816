namespace Alimentar.Server.Security;

/// <summary>
/// Who may do what, as on the Hub: a user owns the namespace of their name, organizations own theirs and grant
/// their members a role, a private repo is visible only to its namespace's members, and a token's own role caps
/// what its user may do. Server administrators may do everything.
/// </summary>
public sealed class AccessPolicy(Organizations organizations)
{
    public Organizations Organizations { get; } = organizations;

    public Access InNamespace(HubUser? user, string ns)
    {
        if (user is null)
        {
            return Access.None;
        }

        if (user.Role == TokenRole.Admin)
        {
            return Access.Admin;
        }

        var role = ns == user.Name && !Organizations.Contains(ns) ? Access.Admin : Organizations.RoleOf(user.Name, ns);
        return user.Role == TokenRole.Read && role > Access.Read ? Access.Read : role;
    }

    public bool CanRead(HubUser? user, string ns, bool isPrivate) => !isPrivate || InNamespace(user, ns) >= Access.Read;
}
