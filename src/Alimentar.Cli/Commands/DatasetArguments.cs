using Alimentar.Pipelines.Inputs;

namespace Alimentar.Cli.Commands;

/// <summary>Dataset inputs as commands receive them: local paths, folders and globs, <c>-</c> for standard input, or <c>hf://datasets/...</c> (pulled into the cache first, with HF_ENDPOINT and HF_TOKEN).</summary>
internal static class DatasetArguments
{
    public static IReadOnlyList<string> Local(IReadOnlyList<string> inputs)
    {
        if (inputs.Count(i => i == StandardInput.Name) > 1)
        {
            throw new UsageException("standard input ('-') can be read once");
        }

        inputs = [.. inputs.Select(i => i == StandardInput.Name ? StandardInput.Spool(Console.OpenStandardInput()) : i)];
        if (!inputs.Any(HubDatasetInputs.IsHubPath))
        {
            return inputs;
        }

        try
        {
            return HubDatasetInputs.ResolveAsync(inputs, PullCommand.Client(null, null, verbose: false)).GetAwaiter().GetResult();
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message);
        }
    }

    /// <summary>
    /// <see cref="Local"/>, then every file checked to exist and be a dataset: for commands that would otherwise contact
    /// the Hub or print progress before finding a missing input.
    /// </summary>
    public static IReadOnlyList<string> Checked(IReadOnlyList<string> inputs)
    {
        var local = Local(inputs);
        foreach (var file in Alimentar.Data.DatasetInputs.Expand(local))
        {
            _ = Alimentar.Data.FormatDetector.Detect(file);
        }

        return local;
    }
}
