namespace Alimentar.Server.Security;

/// <summary>
/// Organizations and their members, from a file of <c>ORG USER read|write|admin</c> lines (blank lines and
/// <c>#</c> comments skipped), as the Hub's organization roles: read sees private repos, write also pushes and creates
/// repos, admin also changes settings, moves and deletes.
/// </summary>
public sealed class Organizations
{
    private readonly Dictionary<string, Dictionary<string, Access>> _members = new(StringComparer.Ordinal);

    public static Organizations None { get; } = new();

    public bool Contains(string name) => _members.ContainsKey(name);

    /// <summary>The user's role in an organization (<see cref="Access.None"/> when not a member).</summary>
    public Access RoleOf(string user, string organization) =>
        _members.TryGetValue(organization, out var members) && members.TryGetValue(user, out var role) ? role : Access.None;

    /// <summary>The organizations the user belongs to, with the role, sorted by name.</summary>
    public IReadOnlyList<(string Organization, Access Role)> MembershipsOf(string user) => _members
        .Where(o => o.Value.ContainsKey(user))
        .Select(o => (o.Key, o.Value[user]))
        .OrderBy(o => o.Key, StringComparer.Ordinal)
        .ToList();

    /// <exception cref="FormatException">A line that is not <c>ORG USER ROLE</c>, or an organization named like a user.</exception>
    public static Organizations Load(string path, IEnumerable<string> userNames)
    {
        var organizations = new Organizations();
        var users = new HashSet<string>(userNames, StringComparer.Ordinal);
        foreach (var (line, organization, user, role) in Roles.ReadFile(path, "ORG USER read|write|admin"))
        {
            // One namespace, one owner: an organization named like a user would make both own the same repos.
            if (users.Contains(organization))
            {
                throw new FormatException($"{path}:{line}: '{organization}' is the name of a user; an organization needs a name of its own");
            }

            if (!organizations._members.TryGetValue(organization, out var members))
            {
                organizations._members[organization] = members = new Dictionary<string, Access>(StringComparer.Ordinal);
            }

            members[user] = role switch { TokenRole.Read => Access.Read, TokenRole.Write => Access.Write, _ => Access.Admin };
        }

        return organizations;
    }
}
