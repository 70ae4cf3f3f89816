using Alimentar.Data.Writing;

namespace Alimentar.Transforms.Clean;

/// <summary>
/// Where a transform writes: one file for the whole dataset, or a folder where each input shard keeps its name (as
/// Parquet). An output that would overwrite an input is refused before anything is read.
/// </summary>
internal sealed class OutputPlan
{
    private readonly IReadOnlyList<string> _targets;

    private OutputPlan(IReadOnlyList<string> targets, bool perShard, OutputFormat format, string workParent)
    {
        _targets = targets;
        PerShard = perShard;
        Format = format;
        WorkParent = workParent;
    }

    public bool PerShard { get; }

    public OutputFormat Format { get; }

    /// <summary>A folder on the output's file system for intermediate files (so renames stay on one device).</summary>
    public string WorkParent { get; }

    public static OutputPlan For(IReadOnlyList<string> files, string output)
    {
        if (string.IsNullOrWhiteSpace(output))
        {
            throw new ArgumentException("--output is required");
        }

        var isFolder = output.EndsWith('/') || output.EndsWith(Path.DirectorySeparatorChar) || Directory.Exists(output) || Path.GetExtension(output).Length == 0;
        var inputs = files.Select(Path.GetFullPath).ToHashSet(StringComparer.Ordinal);
        List<string> targets;
        OutputFormat format;
        if (isFolder)
        {
            var root = Path.GetFullPath(output);
            var common = Data.DatasetInputs.CommonFolder(files);
            format = OutputFormat.Parquet;
            targets = files.Select(f =>
            {
                var relative = Path.GetRelativePath(common, Path.GetFullPath(f));
                return Path.Combine(root, Path.ChangeExtension(relative, ".parquet"));
            }).ToList();
            var clash = targets.GroupBy(t => t, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (clash is not null)
            {
                throw new ArgumentException($"two input shards would both be written to {clash.Key}");
            }
        }
        else
        {
            format = OutputFormats.FromPath(output)
                ?? throw new ArgumentException($"--output {output}: unknown format (use .parquet, .csv, .tsv, .jsonl or .arrow, or a folder ending in /)");
            targets = files.Select(_ => Path.GetFullPath(output)).ToList();
        }

        if (targets.FirstOrDefault(inputs.Contains) is { } overwritten)
        {
            throw new ArgumentException($"--output would overwrite the input {overwritten}; write somewhere else");
        }

        var parent = isFolder ? Path.GetFullPath(output) : Path.GetDirectoryName(Path.GetFullPath(output))!;
        try
        {
            Directory.CreateDirectory(parent);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new Data.DataReadException(parent, $"cannot create the output folder: {ex.Message}");
        }

        return new OutputPlan(targets, isFolder, format, parent);
    }

    /// <summary>One target per input file (the same path for all when writing one file), optionally re-rooted for a dry run.</summary>
    public IReadOnlyList<string> Targets(string? redirect)
    {
        if (redirect is null)
        {
            return _targets;
        }

        var common = Data.DatasetInputs.CommonFolder(_targets.Distinct().ToList());
        return _targets.Select(t => Path.Combine(redirect, Path.GetRelativePath(common, t))).ToList();
    }
}
