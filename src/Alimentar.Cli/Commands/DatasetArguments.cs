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
}
