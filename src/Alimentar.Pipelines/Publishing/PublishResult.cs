using Alimentar.Hub.Cards;
using Alimentar.Hub.Client;
using Alimentar.Hub.Repos;
using Alimentar.Quality;
using Alimentar.Transforms.Clean;

namespace Alimentar.Pipelines.Publishing;

/// <summary>One file of the publish: a shard (with its split, rows and in-memory size) or the card.</summary>
public sealed record PublishedFile(string PathInRepo, string? Split, long Rows, long NumBytes, long Size, string? Sha256);

/// <summary>Everything a publish did or, for a dry run, would do.</summary>
public sealed record PublishResult
{
    public required RepoId Repo { get; init; }

    public required string Revision { get; init; }

    public required string Endpoint { get; init; }

    public required bool DryRun { get; init; }

    public required IReadOnlyList<string> Inputs { get; init; }

    /// <summary>The input's score.</summary>
    public required QualityReport Before { get; init; }

    /// <summary>The score after cleaning; null when nothing was cleaned.</summary>
    public QualityReport? After { get; init; }

    /// <summary>The score the gate judged.</summary>
    public QualityReport Final => After ?? Before;

    public CleanResult? Cleaning { get; init; }

    /// <summary>Why it cleaned or did not ("score 62.1% is below 70%", "--clean never").</summary>
    public required string CleanDecision { get; init; }

    public required IReadOnlyList<PublishedFile> Files { get; init; }

    /// <summary>Shards of an earlier publish of these splits that are no longer part of the dataset, deleted in the same commit.</summary>
    public required IReadOnlyList<string> Deleted { get; init; }

    public required DatasetInfo Info { get; init; }

    /// <summary>The README.md that was (or would be) committed.</summary>
    public required string Card { get; init; }

    public required IReadOnlyList<CardIssue> CardIssues { get; init; }

    public required string CommitTitle { get; init; }

    public required string CommitDescription { get; init; }

    public CommitResult? Commit { get; init; }

    public bool RepoCreated { get; init; }

    /// <summary>For the embedded hub: the folder that holds what was published.</summary>
    public string? LocalStorage { get; init; }
}

/// <summary>The publish was refused before anything was written: the quality gate, the card, or the input.</summary>
public sealed class PublishRefusedException(string message, QualityReport? report = null) : Exception(message)
{
    public QualityReport? Report { get; } = report;
}
