namespace Alimentar.Quality.Profiles;

/// <summary>The profiles that ship with alimentar, as quality-model.md defines them.</summary>
public static class BuiltInProfiles
{
    public static readonly IReadOnlyList<string> LanguageTags =
    [
        "python", "rust", "c", "cpp", "c++", "java", "javascript", "typescript", "go", "ruby", "csharp", "c#", "kotlin",
        "swift", "php", "scala", "haskell", "bash", "shell", "r", "julia", "lua", "perl", "dart", "elixir", "erlang",
        "fortran", "matlab", "ocaml", "fsharp", "sql", "zig", "nim", "clojure", "groovy", "objective-c",
    ];

    public static QualityProfile Default { get; } = new()
    {
        Name = "default",
        Description = "Generic tabular data: equal weights, no required columns.",
    };

    public static QualityProfile MlTraining { get; } = new()
    {
        Name = "ml-training",
        Description = "Training data: label must be complete and have 2+ classes; duplicates above 1% warn.",
        Weights = new DimensionWeights(0.30, 0.25, 0.25, 0.20),
        MaxDuplicateRate = 0.01,
        LabelSanity = true,
        AutoDetectLabel = true,
    };

    public static QualityProfile DoctestCorpus { get; } = new()
    {
        Name = "doctest-corpus",
        Description = "Python doctest corpora: any exact duplicate is critical; input must start with '>>>'.",
        Weights = new DimensionWeights(0.25, 0.30, 0.25, 0.20),
        RequiredColumns = ["source", "version", "module", "function", "input", "expected"],
        NullableColumns = ["signature"],
        KeyColumns = ["module", "function", "input"],
        TextColumns = ["input", "expected"],
        CodeColumns = ["input", "expected"],
        CriticalColumns = ["input", "expected", "function"],
        ExpectedConstantColumns = ["source", "version"],
        NullTokensOffColumns = ["expected"],
        WhitespaceOffColumns = ["input", "expected"],
        Patterns = [new ColumnPattern("input", Regex: "^>>>")],
        DuplicatesCritical = true,
        MaxDuplicateRate = 0,
        NearDuplicateFactor = 1.0,
        NearDuplicateThreshold = 0.85,
        NearDuplicateColumns = ["input", "expected"],
    };

    public static QualityProfile CodeTranslation { get; } = new()
    {
        Name = "code-translation",
        Description = "Parallel code: source, target and both language tags are critical; source == target is degenerate.",
        Weights = new DimensionWeights(0.25, 0.30, 0.20, 0.25),
        RequiredColumns = ["source_code", "target_code", "source_lang", "target_lang"],
        KeyColumns = ["source_code", "source_lang", "target_lang"],
        CodeColumns = ["source_code", "target_code"],
        CriticalColumns = ["source_code", "target_code", "source_lang", "target_lang"],
        WhitespaceChecks = false,
        Patterns = [new ColumnPattern("source_lang", Allowed: LanguageTags), new ColumnPattern("target_lang", Allowed: LanguageTags)],
        DegeneratePair = ("source_code", "target_code"),
        CodeFilters = true,
        NearDuplicateThreshold = 0.85,
        NearDuplicateColumns = ["source_code", "target_code"],
    };

    public static IReadOnlyList<QualityProfile> All { get; } = [Default, MlTraining, DoctestCorpus, CodeTranslation];

    public static QualityProfile? Find(string name) =>
        All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
}
