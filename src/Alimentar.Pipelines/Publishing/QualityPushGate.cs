using Alimentar.Data;
using Alimentar.Hub.Publishing;
using Alimentar.Quality;
using Alimentar.Quality.Profiles;

namespace Alimentar.Pipelines.Publishing;

/// <summary>
/// The quality gate of <c>hub push</c>: each tabular file is scored with the profile; below <see cref="MinGrade"/>
/// (or with a critical failure) the push is refused with the publishing guide's message and its fixes.
/// </summary>
public sealed class QualityPushGate : IPushGate
{
    public QualityProfile Profile { get; init; } = BuiltInProfiles.Default;

    public Grade MinGrade { get; init; } = Grade.B;

    /// <summary>Publish anyway, with a warning and a line in the commit description.</summary>
    public bool Skip { get; init; }

    public Action<string>? Warn { get; init; }

    public IProgress<ScanProgress>? Progress { get; init; }

    public IReadOnlyList<QualityGateResult> Check(IReadOnlyList<PushFile> files)
    {
        var results = new List<QualityGateResult>();
        foreach (var file in files.Where(f => FormatDetector.IsSupportedExtension(f.LocalPath)))
        {
            QualityReport report;
            try
            {
                report = QualityChecker.Score(file.LocalPath, new QualityOptions { Profile = Profile, MinGrade = MinGrade, Progress = Progress });
            }
            catch (DataReadException ex)
            {
                throw new PushRefusedException(ex.Message);
            }

            results.Add(GateMessages.Result(file.PathInRepo, report, Profile.Name, Skip));
        }

        var failed = results.Where(r => !r.Passed).ToList();
        if (failed.Count == 0)
        {
            return results;
        }

        if (Skip)
        {
            foreach (var f in failed)
            {
                Warn?.Invoke(GateMessages.SkipWarning(f, MinGrade));
            }

            return results;
        }

        throw new PushRefusedException(GateMessages.Refusal(failed, MinGrade));
    }
}
