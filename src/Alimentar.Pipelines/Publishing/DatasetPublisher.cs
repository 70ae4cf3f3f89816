using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Alimentar.Hub.Cards;
using Alimentar.Hub.Client;
using Alimentar.Hub.Publishing;
using Alimentar.Hub.Repos;
using Alimentar.Pipelines.Cards;
using Alimentar.Quality.Reports;

namespace Alimentar.Pipelines.Publishing;

/// <summary>
/// <c>alimentar publish</c>: score -> clean if needed -> gate -> shard -> card -> push, in one commit that adds the
/// shards and the card and deletes the shards of an earlier publish of the same splits that are no longer part of
/// the dataset. The publishing guide's Recipe 3 as one call.
/// </summary>
public static class DatasetPublisher
{
    /// <param name="inputs">Files, folders or globs: one dataset.</param>
    /// <param name="repo">The dataset repo.</param>
    /// <param name="client">Endpoint and token; an endpoint of <c>local</c> runs the embedded hub (<see cref="LocalHub"/>).</param>
    /// <param name="options">Gate, cleaning, shards, card.</param>
    /// <exception cref="PublishRefusedException">Below the gate, an invalid card, or inputs that do not form one dataset: nothing was sent.</exception>
    public static async Task<PublishResult> PublishAsync(IEnumerable<string> inputs, RepoId repo, HubClientOptions client, PublishOptions options)
    {
        var list = inputs.ToList();
        if (LocalHub.IsLocal(client.Endpoint))
        {
            await using var local = await LocalHub.StartAsync(cancel: options.CancellationToken);
            options.Log?.Invoke($"Embedded hub at {local.Url}, storage {local.Root}");
            var result = await RunAsync(list, repo, client with { Endpoint = local.Url, Token = local.Token }, options);
            return result with { LocalStorage = local.Root, Endpoint = LocalHub.EndpointName };
        }

        return await RunAsync(list, repo, client, options);
    }

    public static PublishResult Publish(IEnumerable<string> inputs, RepoId repo, HubClientOptions client, PublishOptions options) =>
        PublishAsync(inputs, repo, client, options).GetAwaiter().GetResult();

    private static async Task<PublishResult> RunAsync(IReadOnlyList<string> inputs, RepoId repo, HubClientOptions clientOptions, PublishOptions options)
    {
        var cancel = options.CancellationToken;
        using var client = new HubClient(clientOptions);
        var snapshot = await client.GetRepoAsync(repo, options.Revision, cancel);
        var branchMissing = false;
        if (snapshot is null && options.Revision != "main")
        {
            snapshot = await client.GetRepoAsync(repo, "main", cancel);
            branchMissing = snapshot is not null;
        }

        var repoFiles = snapshot?.Files ?? [];
        string? existing = null;
        if (options.Readme is not null)
        {
            existing = await File.ReadAllTextAsync(options.Readme, cancel);
        }
        else if (repoFiles.Contains("README.md"))
        {
            using var buffer = new MemoryStream();
            await client.DownloadAsync(repo, "README.md", buffer, branchMissing ? "main" : options.Revision, cancel);
            existing = Encoding.UTF8.GetString(buffer.ToArray());
        }

        // What the user wrote (their README, --license and the like) is checked before any data is read, so a bad
        // card is refused before anything could be sent.
        CheckUserMetadata(existing, options, repo);

        var created = false;
        async Task EnsureRepoAsync(CancellationToken token)
        {
            if (snapshot is null)
            {
                created = await client.CreateRepoAsync(repo, options.Private, token);
                branchMissing = options.Revision != "main";
            }

            if (branchMissing)
            {
                await client.CreateBranchAsync(repo, options.Revision, "main", token);
                branchMissing = false;
            }
        }

        await using var uploads = options.DryRun ? null : new ShardUploads(client, repo, options.Revision, EnsureRepoAsync, cancel);
        using var prepared = await Task.Run(() => DatasetPreparer.Prepare(inputs, options with { ShardWritten = uploads is null ? null : uploads.Start }), cancel);
        var hashes = uploads is null ? new Dictionary<string, string>() : await uploads.CompleteAsync();
        return await CommitAsync(client, prepared, repo, options, snapshot, existing, hashes, EnsureRepoAsync, () => created);
    }

    private static void CheckUserMetadata(string? existing, PublishOptions options, RepoId repo)
    {
        var keys = CardBuilder.UserKeys(options, existing is null ? null : DatasetCard.Parse(existing));
        try
        {
            var card = (existing is null ? DatasetCard.Empty() : DatasetCard.Parse(existing)).WithKeys(keys);
            var errors = new DatasetCardValidator().Validate(card.ToString()).Errors.ToList();
            if (errors.Count > 0)
            {
                throw new PublishRefusedException(string.Join("\n\n", errors.Select(e => e.Format())) + "\nNothing was published.");
            }
        }
        catch (FormatException ex)
        {
            throw new PublishRefusedException($"{options.Readme ?? "README.md in " + repo}: {ex.Message}");
        }
    }

    private static async Task<PublishResult> CommitAsync(HubClient client, PreparedDataset prepared, RepoId repo, PublishOptions options, RepoSnapshot? snapshot, string? existing, IReadOnlyDictionary<string, string> hashes, Func<CancellationToken, Task> ensureRepo, Func<bool> created)
    {
        var cancel = options.CancellationToken;
        var repoFiles = snapshot?.Files ?? [];
        var published = prepared.Splits.Select(s => s.Split).ToHashSet(StringComparer.Ordinal);
        var shardPaths = prepared.Splits.SelectMany(s => s.Shards).Select(prepared.PathInRepo).ToHashSet(StringComparer.Ordinal);
        var deleted = repoFiles
            .Where(f => published.Any(split => f.StartsWith($"{prepared.Info.DataDir}/{split}-", StringComparison.Ordinal)) && !shardPaths.Contains(f))
            .Order(StringComparer.Ordinal)
            .ToList();
        var keptSplits = KeptSplits(existing, published, repoFiles, prepared.Info);
        var card = CardBuilder.Build(prepared, repo.FullName, options, existing, keptSplits);
        var finalFiles = repoFiles.Except(deleted).Concat(shardPaths).Append("README.md").Distinct().ToList();
        var validation = new DatasetCardValidator().Validate(card, finalFiles);
        foreach (var warning in validation.Warnings)
        {
            options.Warn?.Invoke(warning.Format());
        }

        if (!validation.IsValid)
        {
            throw new PublishRefusedException(string.Join("\n\n", validation.Errors.Select(e => e.Format())) + "\nNothing was committed.");
        }

        var cardBytes = Encoding.UTF8.GetBytes(card);
        var files = new List<PublishedFile>();
        foreach (var (split, shards) in prepared.Splits)
        {
            foreach (var shard in shards)
            {
                // Uploaded shards were hashed on the way; a dry run hashes here, to say what would be sent.
                var sha = hashes.GetValueOrDefault(shard.Path) ?? shard.Sha256 ?? (options.DryRun ? await Sha256Async(shard.Path, cancel) : null);
                files.Add(new PublishedFile(prepared.PathInRepo(shard), split, shard.Rows, shard.NumBytes, shard.FileBytes, sha));
            }
        }

        files.Add(new PublishedFile("README.md", null, 0, 0, cardBytes.Length, Convert.ToHexStringLower(SHA256.HashData(cardBytes))));
        var title = options.Message ?? $"Publish {Count(prepared.Info.NumExamples, "row")} with alimentar (quality {ReportWriters.Score(prepared.Final.Score)}, Grade {prepared.Final.Grade})";
        var description = Describe(prepared, options, files, deleted);
        var result = new PublishResult
        {
            Repo = repo,
            Revision = options.Revision,
            Endpoint = client.Options.Endpoint,
            DryRun = options.DryRun,
            Inputs = prepared.Inputs,
            Before = prepared.Before,
            After = prepared.After,
            Cleaning = prepared.Cleaning,
            CleanDecision = prepared.CleanDecision,
            Files = files,
            Deleted = deleted,
            Info = prepared.Info with { Splits = [.. prepared.Info.Splits, .. keptSplits] },
            Card = card,
            CardIssues = validation.Issues,
            CommitTitle = title,
            CommitDescription = description,
            RepoCreated = snapshot is null,
        };
        if (options.DryRun)
        {
            return result;
        }

        var serverErrors = await client.ValidateYamlAsync(card, repo.Type, cancel);
        if (serverErrors.Count > 0)
        {
            throw new PublishRefusedException("ERROR: the Hub rejected the card's metadata:\n" + string.Join("\n", serverErrors.Select(e => $"  - {e}")) + "\nNothing was committed.");
        }

        await ensureRepo(cancel);
        options.Log?.Invoke($"Committing {Count(files.Count, "file")} ({DatasetPreparer.Bytes(files.Sum(f => f.Size))}) to {repo}@{options.Revision}");
        var operations = new List<CommitOperation>();
        foreach (var (_, shards) in prepared.Splits)
        {
            operations.AddRange(shards.Select(s => (CommitOperation)AddFileOperation.FromPath(s.Path, prepared.PathInRepo(s), hashes.GetValueOrDefault(s.Path))));
        }

        operations.Add(AddFileOperation.FromBytes(cardBytes, "README.md"));
        operations.AddRange(deleted.Select(d => (CommitOperation)new DeleteFileOperation(d)));
        var commit = await client.CommitAsync(new CommitRequest { Repo = repo, Operations = operations, Message = title, Description = description, Revision = options.Revision }, cancel);
        var committed = commit.Files.Where(f => f.Sha256 is not null).ToDictionary(f => f.Path, f => f.Sha256, StringComparer.Ordinal);
        return result with
        {
            Commit = commit,
            RepoCreated = created() || snapshot is null,
            Files = files.Select(f => f.Sha256 is null && committed.TryGetValue(f.PathInRepo, out var sha) ? f with { Sha256 = sha } : f).ToList(),
        };
    }

    // Splits an earlier publish left in the repo and this one does not replace: their card entries stay while their
    // shards are still there (as datasets.push_to_hub keeps the other splits of a DatasetDict).
    private static List<SplitInfo> KeptSplits(string? existing, IReadOnlySet<string> published, IReadOnlyList<string> repoFiles, DatasetInfo info)
    {
        if (existing is null)
        {
            return [];
        }

        DatasetInfo? earlier;
        try
        {
            earlier = CardYaml.ReadDatasetInfo(DatasetCard.Parse(existing).Metadata());
        }
        catch (FormatException)
        {
            return [];
        }

        return earlier?.Splits
            .Where(s => !published.Contains(s.Name) && repoFiles.Any(f => f.StartsWith($"{info.DataDir}/{s.Name}-", StringComparison.Ordinal)))
            .ToList() ?? [];
    }

    private static string Describe(PreparedDataset prepared, PublishOptions options, IReadOnlyList<PublishedFile> files, IReadOnlyList<string> deleted)
    {
        var lines = new List<string>
        {
            $"Quality before: {ReportWriters.Score(prepared.Before.Score)} (Grade {prepared.Before.Grade}), profile {prepared.Before.Profile}",
        };
        if (prepared.Cleaning is { } cleaning)
        {
            lines.Add($"Cleaned ({prepared.CleanDecision}): {CardBuilder.Cleaned(cleaning)}");
            lines.Add($"Quality after: {ReportWriters.Score(prepared.Final.Score)} (Grade {prepared.Final.Grade})");
        }
        else
        {
            lines.Add($"Not cleaned: {prepared.CleanDecision}");
        }

        lines.Add(prepared.GateSkipped
            ? $"Gate: minimum grade {options.MinGrade} - NOT MET, published with --skip-quality-gate"
            : $"Gate: minimum grade {options.MinGrade}{(options.MinScore is { } s ? $", score {s.ToString("0.#", CultureInfo.InvariantCulture)}%" : string.Empty)} - passed");
        var shards = files.Where(f => f.Split is not null).GroupBy(f => f.Split!).Select(g => $"{g.Key} {g.Count()}");
        lines.Add($"Files: shards ({string.Join(", ", shards)}), README.md{(deleted.Count > 0 ? $"; deleted {Count(deleted.Count, "stale shard")}" : string.Empty)}");
        return string.Join("\n", lines);
    }

    private static async Task<string> Sha256Async(string path, CancellationToken cancel)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancel));
    }

    private static string Count(long n, string noun) => DatasetPreparer.Plural(n, noun);
}
