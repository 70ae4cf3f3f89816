using System.CommandLine;
using Alimentar.Data.Writing;
using Alimentar.Quality;
using Alimentar.Quality.Profiles;

namespace Alimentar.Cli.Commands;

/// <summary>The quality and output options a data pipeline command shares: profile (and its flags), label, gate, codec, threads.</summary>
internal sealed class TransformOptions
{
    private TransformOptions()
    {
    }

    public Option<string?> Profile { get; } = new("--profile") { Description = "Built-in profile: default, ml-training, doctest-corpus, code-translation" };

    public Option<string?> ProfileFile { get; } = new("--profile-file") { Description = "Custom profile from a YAML file" };

    public Option<string?> Label { get; } = new("--label-column") { Description = "Label column (ml-training)" };

    public Option<string> MinGrade { get; } = new("--min-grade") { Description = "Lowest grade allowed to publish (A, B, C, D)", DefaultValueFactory = _ => "B" };

    public Option<double?> MinScore { get; } = new("--min-score") { Description = "Lowest score allowed to publish (0-100)" };

    public Option<string> Compression { get; } = new("--compression") { Description = "Parquet codec: snappy (default), zstd, gzip, lz4, none", DefaultValueFactory = _ => "snappy" };

    public Option<int?> Threads { get; } = new("--threads") { Description = "Worker threads (default: all cores)" };

    private ProfileFlags Flags { get; } = new();

    public static TransformOptions Create() => new();

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Profile, ProfileFile, Label, MinGrade, MinScore, Compression, Threads }.Concat(Flags.Options))
        {
            command.Options.Add(option);
        }
    }

    public Values Read(ParseResult parse)
    {
        var minScore = parse.GetValue(MinScore);
        if (minScore is < 0 or > 100)
        {
            throw new UsageException("--min-score must be between 0 and 100");
        }

        return new Values(
            Flags.Apply(parse, QualityCommands.ResolveProfile(parse.GetValue(Profile), parse.GetValue(ProfileFile))),
            parse.GetValue(Label),
            QualityCommands.ParseGrade(parse.GetValue(MinGrade)!),
            minScore,
            CleanCommand.ParseCompression(parse.GetValue(Compression)),
            parse.GetValue(Threads),
            Flags.Delimiter(parse));
    }

    public sealed record Values(QualityProfile Profile, string? LabelColumn, Grade MinGrade, double? MinScore, ParquetCompression Compression, int? Threads, char? Delimiter);
}
