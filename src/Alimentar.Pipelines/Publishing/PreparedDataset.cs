using Alimentar.Data.Writing;
using Alimentar.Hub.Cards;
using Alimentar.Quality;
using Alimentar.Transforms.Clean;

namespace Alimentar.Pipelines.Publishing;

/// <summary>
/// A dataset ready to publish: scored, cleaned when needed, past the gate, written as shards in a staging folder.
/// Disposing it removes the staging folder.
/// </summary>
public sealed class PreparedDataset : IDisposable
{
    private readonly bool _ownsStaging;

    internal PreparedDataset(string staging, bool ownsStaging)
    {
        Staging = staging;
        _ownsStaging = ownsStaging;
    }

    public string Staging { get; }

    public required IReadOnlyList<string> Inputs { get; init; }

    public required QualityReport Before { get; init; }

    public QualityReport? After { get; init; }

    public QualityReport Final => After ?? Before;

    public CleanResult? Cleaning { get; init; }

    public required string CleanDecision { get; init; }

    /// <summary>Shards by split, in split order (train, validation, test, then others by name); paths are in <see cref="Staging"/>.</summary>
    public required IReadOnlyList<(string Split, IReadOnlyList<ShardFile> Shards)> Splits { get; init; }

    public required DatasetInfo Info { get; init; }

    /// <summary>Whether the gate was overridden (<see cref="PublishOptions.SkipQualityGate"/>) for data below it.</summary>
    public bool GateSkipped { get; init; }

    /// <summary>A shard's path in the repo: <c>data/train-00000-of-00001.parquet</c>.</summary>
    public string PathInRepo(ShardFile shard) => $"{Info.DataDir}/{shard.Name}";

    public void Dispose()
    {
        if (_ownsStaging && Directory.Exists(Staging))
        {
            try
            {
                Directory.Delete(Staging, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
