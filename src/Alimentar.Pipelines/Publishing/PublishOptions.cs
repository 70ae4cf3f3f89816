using Alimentar.Data.Writing;
using Alimentar.Quality;
using Alimentar.Quality.Profiles;

namespace Alimentar.Pipelines.Publishing;

/// <summary>When <c>publish</c> cleans: below 70 % (the publishing guide's Recipe 3), never, or always.</summary>
public enum CleanMode
{
    Auto,
    Never,
    Always,
}

/// <summary>What <see cref="DatasetPublisher"/> does: the quality gate, cleaning, sharding and the card.</summary>
public sealed record PublishOptions
{
    /// <summary>The score below which <see cref="CleanMode.Auto"/> cleans (the guide's "Initial quality too low").</summary>
    public const double AutoCleanBelow = 70;

    /// <summary>What <c>datasets</c> uses: 500 MB (10^6 bytes) of in-memory Arrow data per shard.</summary>
    public const long DefaultMaxShardSize = 500L * 1000 * 1000;

    /// <summary>Every input is this split; by default splits come from file and folder names (train when none is named).</summary>
    public string? Split { get; init; }

    /// <summary>The user's README: its prose and keys are kept, the generated keys and sections refreshed. By default the repo's README, if any.</summary>
    public string? Readme { get; init; }

    /// <summary>The field separator of CSV and TSV inputs; null detects it (comma, semicolon, tab or pipe).</summary>
    public char? Delimiter { get; init; }

    public QualityProfile Profile { get; init; } = BuiltInProfiles.Default;

    public string? LabelColumn { get; init; }

    public Grade MinGrade { get; init; } = Grade.B;

    public double? MinScore { get; init; }

    public CleanMode Clean { get; init; } = CleanMode.Auto;

    /// <summary>Publish even below the gate; the commit description says so.</summary>
    public bool SkipQualityGate { get; init; }

    public long MaxShardSize { get; init; } = DefaultMaxShardSize;

    public SinkOptions Sink { get; init; } = new();

    /// <summary>Everything up to the push (scores, shards, card); no write request is sent.</summary>
    public bool DryRun { get; init; }

    public bool Private { get; init; }

    public string Revision { get; init; } = "main";

    /// <summary>Commit title; by default one naming the rows and the score.</summary>
    public string? Message { get; init; }

    public string? License { get; init; }

    public IReadOnlyList<string> TaskCategories { get; init; } = [];

    public IReadOnlyList<string> Languages { get; init; } = [];

    public IReadOnlyList<string> Tags { get; init; } = [];

    public string? PrettyName { get; init; }

    /// <summary>Where shards are staged before upload (a fresh folder under the system's temporary folder by default; removed afterwards).</summary>
    public string? StagingFolder { get; init; }

    public int? MaxDegreeOfParallelism { get; init; }

    /// <summary>One line per phase ("Scoring 3 files", "Cleaning", "Writing shards", "Uploading"), for a terminal.</summary>
    public Action<string>? Log { get; init; }

    public Action<string>? Warn { get; init; }

    public CancellationToken CancellationToken { get; init; }

    /// <summary>Each shard as soon as it is written (under a provisional name that stays valid), so the upload can overlap the writing.</summary>
    internal Action<ShardFile>? ShardWritten { get; init; }
}
