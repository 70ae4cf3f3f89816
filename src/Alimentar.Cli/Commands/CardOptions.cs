using System.CommandLine;
using Alimentar.Pipelines.Publishing;

namespace Alimentar.Cli.Commands;

/// <summary>The card keys a user gives on the command line (<c>publish</c>, <c>card generate</c>).</summary>
internal sealed class CardOptions
{
    private CardOptions()
    {
    }

    public Option<string?> License { get; } = new("--license") { Description = "License id (apache-2.0, mit, cc-by-4.0, ...)" };

    public Option<string[]> TaskCategories { get; } = new("--task-category") { Description = "Task category (repeatable or comma-separated): text-classification, ..." };

    public Option<string[]> Languages { get; } = new("--language") { Description = "ISO 639-1/639-3 language code (repeatable or comma-separated)" };

    public Option<string[]> Tags { get; } = new("--tag") { Description = "Tag (repeatable or comma-separated)" };

    public Option<string?> PrettyName { get; } = new("--pretty-name") { Description = "Display name (default: from the repo name)" };

    public static CardOptions Create() => new();

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { License, TaskCategories, Languages, Tags, PrettyName })
        {
            command.Options.Add(option);
        }
    }

    public PublishOptions Read(ParseResult parse, PublishOptions options) => options with
    {
        License = parse.GetValue(License),
        TaskCategories = List(parse.GetValue(TaskCategories)),
        Languages = List(parse.GetValue(Languages)),
        Tags = List(parse.GetValue(Tags)),
        PrettyName = parse.GetValue(PrettyName),
    };

    private static IReadOnlyList<string> List(string[]? values) =>
        (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).Distinct(StringComparer.Ordinal).ToList();
}
