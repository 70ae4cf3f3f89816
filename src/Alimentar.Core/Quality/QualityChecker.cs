using Alimentar.Data;

namespace Alimentar.Quality;

/// <summary>Scores a dataset: one pass to gather statistics, then the quality model.</summary>
public static class QualityChecker
{
    /// <summary>Scores the files, folders or globs in <paramref name="inputs"/> as one dataset.</summary>
    /// <exception cref="DataReadException">An input cannot be read; the message names the file and the problem.</exception>
    public static QualityReport Score(IEnumerable<string> inputs, QualityOptions? options = null)
    {
        options ??= new QualityOptions();
        using var dataset = Dataset.Open(inputs, options.Delimiter);
        var stats = new DatasetScanner(options).Scan(dataset);
        return QualityScorer.Score(stats, options);
    }

    public static QualityReport Score(string input, QualityOptions? options = null) => Score([input], options);
}
