using System.Security.Cryptography;
using Alimentar.Hub.Cards;
using Alimentar.Hub.Client;
using Alimentar.Hub.Repos;

namespace Alimentar.Hub.Publishing;

/// <summary>What <c>alimentar hub push</c> should do.</summary>
public sealed record PushOptions
{
    public required RepoId Repo { get; init; }

    /// <summary>A file or a folder.</summary>
    public required string Source { get; init; }

    /// <summary>For a file: its path in the repo (default: its name). For a folder: a prefix (default: none).</summary>
    public string? PathInRepo { get; init; }

    public string? Readme { get; init; }

    public string? Message { get; init; }

    public string Description { get; init; } = string.Empty;

    public IReadOnlyList<string> Include { get; init; } = [];

    public IReadOnlyList<string> Exclude { get; init; } = [];

    public bool Private { get; init; }

    public string Revision { get; init; } = "main";

    public bool CreatePullRequest { get; init; }

    public bool DryRun { get; init; }
}

public sealed record PushFile(string LocalPath, string PathInRepo, long Size);

public sealed record PushResult(
    RepoId Repo,
    string Revision,
    bool DryRun,
    bool RepoCreated,
    IReadOnlyList<PushFile> Files,
    IReadOnlyList<CommitResult> Commits,
    IReadOnlyList<QualityGateResult> Quality,
    IReadOnlyList<CardIssue> CardIssues,
    IReadOnlyDictionary<string, string> DryRunSha256);

/// <summary>The push was refused before anything was written (quality gate, dataset card, bad input).</summary>
public sealed class PushRefusedException(string message) : Exception(message);

/// <summary>
/// Publishes a file or folder to a Hub repo: the gate it is given (the quality gate, from the pipelines layer),
/// dataset-card validation, then the files in as few commits as the Hub's 100-files-per-commit guidance allows
/// (one for a typical push).
/// </summary>
public sealed class PushService(HubClient client)
{
    private static readonly string[] AlwaysIgnored = [".git/", ".cache/huggingface/"];

    public Action<string>? Warn { get; init; }

    /// <summary>Checked before anything is sent; none means no gate.</summary>
    public IPushGate? Gate { get; init; }

    public async Task<PushResult> PushAsync(PushOptions options, CancellationToken cancel = default)
    {
        var files = CollectFiles(options);
        if (files.Count == 0)
        {
            throw new PushRefusedException($"{options.Source}: nothing to push (no files matched)");
        }

        var quality = Gate?.Check(files) ?? [];
        var snapshot = await client.GetRepoAsync(options.Repo, options.Revision, cancel);
        var branchMissing = false;
        if (snapshot is null && options.Revision != "main")
        {
            // Like `hf upload --revision`: a missing branch is created from main (after the checks, never in a dry run).
            snapshot = await client.GetRepoAsync(options.Repo, "main", cancel);
            branchMissing = snapshot is not null;
        }

        var cardIssues = await ValidateCardAsync(options, files, snapshot, cancel);
        var description = Describe(options.Description, quality);

        if (options.DryRun)
        {
            var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var file in files)
            {
                await using var stream = File.OpenRead(file.LocalPath);
                hashes[file.PathInRepo] = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancel));
            }

            return new PushResult(options.Repo, options.Revision, true, snapshot is null, files, [], quality, cardIssues, hashes);
        }

        if (files.FirstOrDefault(f => f.PathInRepo == "README.md") is { } card)
        {
            var serverErrors = await client.ValidateYamlAsync(await File.ReadAllTextAsync(card.LocalPath, cancel), options.Repo.Type, cancel);
            if (serverErrors.Count > 0)
            {
                throw new PushRefusedException("ERROR: the Hub rejected README.md metadata:\n" + string.Join("\n", serverErrors.Select(e => $"  - {e}")));
            }
        }

        var created = false;
        if (snapshot is null)
        {
            created = await client.CreateRepoAsync(options.Repo, options.Private, cancel);
            branchMissing = options.Revision != "main";
        }

        if (branchMissing)
        {
            await client.CreateBranchAsync(options.Repo, options.Revision, "main", cancel);
        }

        var ordered = files.OrderBy(f => f.PathInRepo.Equals("README.md", StringComparison.OrdinalIgnoreCase) ? 1 : 0).ThenBy(f => f.PathInRepo, StringComparer.Ordinal).ToList();
        var batches = ordered.Chunk(Math.Max(1, client.Options.MaxFilesPerCommit)).ToList();
        var title = options.Message ?? (files.Count == 1 ? $"Upload {files[0].PathInRepo} with alimentar" : $"Upload {files.Count} files with alimentar");
        var commits = new List<CommitResult>();
        for (var i = 0; i < batches.Count; i++)
        {
            var request = new CommitRequest
            {
                Repo = options.Repo,
                Operations = batches[i].Select(f => (CommitOperation)AddFileOperation.FromPath(f.LocalPath, f.PathInRepo)).ToList(),
                Message = batches.Count == 1 ? title : $"{title} (part {i + 1}/{batches.Count})",
                Description = description,
                Revision = options.Revision,
                CreatePullRequest = options.CreatePullRequest,
            };
            commits.Add(await client.CommitAsync(request, cancel));
        }

        return new PushResult(options.Repo, options.Revision, false, created, files, commits, quality, cardIssues, new Dictionary<string, string>());
    }

    public static IReadOnlyList<PushFile> CollectFiles(PushOptions options)
    {
        var files = new List<PushFile>();
        if (File.Exists(options.Source))
        {
            var target = options.PathInRepo ?? Path.GetFileName(options.Source);
            files.Add(Make(options.Source, target));
        }
        else if (Directory.Exists(options.Source))
        {
            var prefix = string.IsNullOrEmpty(options.PathInRepo) ? string.Empty : options.PathInRepo.Trim('/') + "/";
            foreach (var file in Directory.EnumerateFiles(options.Source, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var relative = Path.GetRelativePath(options.Source, file).Replace('\\', '/');
                if (AlwaysIgnored.Any(i => relative.StartsWith(i, StringComparison.Ordinal) || relative.Contains("/" + i, StringComparison.Ordinal)))
                {
                    continue;
                }

                if (options.Include.Count > 0 && !options.Include.Any(p => Glob(p, relative)))
                {
                    continue;
                }

                if (options.Exclude.Any(p => Glob(p, relative)))
                {
                    continue;
                }

                files.Add(Make(file, prefix + relative));
            }
        }
        else
        {
            // Not a refusal by the gate (exit 1) but a mistake in the call: the CLI's one-line error, exit 2.
            throw new FileNotFoundException($"{options.Source}: no such file or folder", options.Source);
        }

        if (options.Readme is not null)
        {
            if (!File.Exists(options.Readme))
            {
                throw new FileNotFoundException($"{options.Readme}: no such file", options.Readme);
            }

            files.RemoveAll(f => f.PathInRepo == "README.md");
            files.Add(Make(options.Readme, "README.md"));
        }

        return files;
    }

    private static PushFile Make(string local, string pathInRepo)
    {
        var (normalized, error) = RepoPaths.Normalize(pathInRepo);
        if (error is not null)
        {
            throw new PushRefusedException($"invalid path in repo '{pathInRepo}': {error}");
        }

        return new PushFile(local, normalized!, new FileInfo(local).Length);
    }

    /// <summary>Glob on the relative path; a pattern without '/' also matches the file name.</summary>
    public static bool Glob(string pattern, string relative) =>
        Alimentar.Data.Glob.IsMatch(pattern, relative) || (!pattern.Contains('/', StringComparison.Ordinal) && Alimentar.Data.Glob.IsMatch(pattern, Path.GetFileName(relative)));

    private async Task<IReadOnlyList<CardIssue>> ValidateCardAsync(PushOptions options, IReadOnlyList<PushFile> files, RepoSnapshot? snapshot, CancellationToken cancel)
    {
        var readme = files.FirstOrDefault(f => f.PathInRepo == "README.md");
        if (readme is null)
        {
            return [];
        }

        var content = await File.ReadAllTextAsync(readme.LocalPath, cancel);
        var repoFiles = (snapshot?.Files ?? []).Concat(files.Select(f => f.PathInRepo)).Distinct().ToList();
        var result = new DatasetCardValidator().Validate(content, repoFiles);
        foreach (var warning in result.Warnings)
        {
            Warn?.Invoke(warning.Format());
        }

        if (!result.IsValid)
        {
            throw new PushRefusedException(string.Join("\n\n", result.Errors.Select(e => e.Format())));
        }

        return result.Issues;
    }

    private static string Describe(string description, IReadOnlyList<QualityGateResult> quality)
    {
        var lines = new List<string>();
        if (!string.IsNullOrEmpty(description))
        {
            lines.Add(description);
            lines.Add(string.Empty);
        }

        lines.AddRange(quality.Select(q => q.Describe()));
        if (quality.Any(q => q.Overridden))
        {
            lines.Add("Quality gate SKIPPED with --skip-quality-gate.");
        }

        return string.Join("\n", lines).Trim();
    }
}
