using Alimentar.Hub.Repos;

namespace Alimentar.Server.Storage;

/// <summary>
/// Which repos hold which LFS objects. Objects are stored once whoever uploads them, so knowing an object's SHA-256
/// must not be enough to put it in a commit: a repo holds an object once a client uploaded its bytes for that repo
/// (proof of possession) or one of the repo's commits refers to it. Each holding is an empty marker file
/// <c>objects/{sha256}</c> in the repo's folder, so it moves and is deleted with the repo.
/// </summary>
public sealed partial class HubStore
{
    public bool Holds(RepoId id, string sha256) =>
        GitObjects.IsSha256(sha256) && File.Exists(Path.Combine(HoldingsDir(id), sha256));

    /// <summary>Records that <paramref name="id"/> holds the object (its bytes were uploaded for it, or a commit refers to it).</summary>
    public void Hold(RepoId id, string sha256)
    {
        if (GetRepo(id) is null)
        {
            // Deleted while the upload ran: a repo created later under that name must not inherit the holding.
            return;
        }

        var dir = HoldingsDir(id);
        Directory.CreateDirectory(dir);
        using (File.Create(Path.Combine(dir, sha256)))
        {
        }
    }

    /// <summary>Every repo that holds the object.</summary>
    public IEnumerable<RepoRecord> ReposHolding(string sha256)
    {
        if (!GitObjects.IsSha256(sha256))
        {
            yield break;
        }

        var repos = Path.Combine(Root, "repos");
        foreach (var typeDir in Directory.EnumerateDirectories(repos))
        {
            if (RepoId.TypeFromSegment(Path.GetFileName(typeDir)) is not { } type)
            {
                continue;
            }

            foreach (var nsDir in Directory.EnumerateDirectories(typeDir))
            {
                foreach (var nameDir in Directory.EnumerateDirectories(nsDir))
                {
                    var id = new RepoId(type, Path.GetFileName(nsDir), Path.GetFileName(nameDir));
                    if (Holds(id, sha256) && GetRepo(id) is { } repo)
                    {
                        yield return repo;
                    }
                }
            }
        }
    }

    // Repos written before holdings were recorded get theirs from their commits, once, on first use.
    private string HoldingsDir(RepoId id)
    {
        var dir = Path.Combine(RepoDir(id), "objects");
        if (!Directory.Exists(dir) && Directory.Exists(Path.Combine(RepoDir(id), "commits")))
        {
            var temp = Path.Combine(RepoDir(id), $".tmp-objects-{Guid.NewGuid():N}");
            Directory.CreateDirectory(temp);
            foreach (var commitFile in Directory.EnumerateFiles(Path.Combine(RepoDir(id), "commits"), "*.json"))
            {
                var commit = System.Text.Json.JsonSerializer.Deserialize(File.ReadAllBytes(commitFile), ServerJsonContext.Default.CommitRecord);
                foreach (var entry in commit?.Files.Values.Where(f => f.Lfs) ?? [])
                {
                    using (File.Create(Path.Combine(temp, entry.Oid)))
                    {
                    }
                }
            }

            try
            {
                Directory.Move(temp, dir);
            }
            catch (IOException)
            {
                // Another request built it first.
                Directory.Delete(temp, recursive: true);
            }
        }

        return dir;
    }
}
