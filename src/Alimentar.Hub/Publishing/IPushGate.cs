namespace Alimentar.Hub.Publishing;

/// <summary>
/// Decides whether files may be pushed. The Hub client knows no scoring: the quality gate is built above it (in the
/// pipelines layer) and handed to <see cref="PushService"/>. To refuse, throw <see cref="PushRefusedException"/>
/// with the message the user should see; what is returned is recorded in the commit description.
/// </summary>
public interface IPushGate
{
    IReadOnlyList<QualityGateResult> Check(IReadOnlyList<PushFile> files);
}

/// <summary>What a gate found for one file (or, for a dataset scored as one, for the dataset).</summary>
public sealed record QualityGateResult(string Path, double Score, string Grade, bool Passed, IReadOnlyList<string> Reasons, IReadOnlyList<string> Fixes, string Profile, bool Overridden = false)
{
    /// <summary>The line the commit description carries.</summary>
    public string Describe() =>
        $"Quality: {Path}: {Score.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)}% (Grade {Grade}), profile {Profile}"
        + (Passed ? string.Empty : " - BELOW THE GATE");
}
