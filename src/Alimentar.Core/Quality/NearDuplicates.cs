using System.Globalization;
using System.IO.Hashing;
using System.Text;

namespace Alimentar.Quality;

/// <summary>A verified cluster of near-duplicate rows.</summary>
/// <param name="Similarities">Each member's Jaccard similarity to the representative (1 for the representative itself).</param>
public sealed record NearDuplicateCluster(long Representative, IReadOnlyList<long> Members, double MinSimilarity, IReadOnlyList<double>? Similarities = null);

/// <summary>Result of near-duplicate detection, with the parameters used so runs can be reproduced.</summary>
public sealed record NearDuplicateResult(
    long RedundantCopies,
    long RowsInClusters,
    IReadOnlyList<NearDuplicateCluster> Clusters,
    IReadOnlyDictionary<int, int> ClusterSizeHistogram,
    IReadOnlyList<(long A, long B, double Similarity)> SamplePairs,
    string Parameters);

/// <summary>
/// MinHash-LSH as the quality model specifies: word (prose) or code-token 5-gram shingles, 128 permutations
/// (a·h + b) mod (2^61 − 1) over XXH3, 16 bands × 8 rows, exact Jaccard verification of every candidate pair,
/// union-find clustering with a re-check of each member against its cluster's representative.
/// </summary>
public sealed class NearDuplicateDetector(double threshold, bool code)
{
    private const int Permutations = 128;
    private const int Bands = 16;
    private const int RowsPerBand = 8;
    private const int ShingleSize = 5;
    private const ulong MersennePrime = (1UL << 61) - 1;

    private static readonly (ulong A, ulong B)[] Coefficients = MakeCoefficients();

    private readonly List<long> _rows = [];
    private readonly List<ulong[]> _shingles = [];
    private readonly List<ulong[]> _signatures = [];

    public int Documents => _rows.Count;

    /// <summary>Adds one row's text. Documents shorter than 5 tokens are left to exact hashing.</summary>
    public void Add(long row, string text)
    {
        var tokens = code ? CodeTokens(text) : ProseTokens(text);
        if (tokens.Count < ShingleSize)
        {
            return;
        }

        var shingles = new HashSet<ulong>();
        for (var i = 0; i + ShingleSize <= tokens.Count; i++)
        {
            shingles.Add(XxHash3.HashToUInt64(Encoding.UTF8.GetBytes(string.Join('\u0001', tokens.GetRange(i, ShingleSize)))));
        }

        var set = shingles.ToArray();
        Array.Sort(set);
        var signature = new ulong[Permutations];
        Array.Fill(signature, ulong.MaxValue);
        foreach (var h in set)
        {
            var x = h % MersennePrime;
            for (var p = 0; p < Permutations; p++)
            {
                var value = (ulong)(((UInt128)Coefficients[p].A * x + Coefficients[p].B) % MersennePrime);
                if (value < signature[p])
                {
                    signature[p] = value;
                }
            }
        }

        _rows.Add(row);
        _shingles.Add(set);
        _signatures.Add(signature);
    }

    /// <summary>Clusters the documents; rows <paramref name="exclude"/> names (exact duplicates, counted already) are left out.</summary>
    public NearDuplicateResult Compute(Func<long, bool>? exclude = null)
    {
        if (exclude is not null)
        {
            var kept = 0;
            for (var i = 0; i < _rows.Count; i++)
            {
                if (!exclude(_rows[i]))
                {
                    (_rows[kept], _shingles[kept], _signatures[kept]) = (_rows[i], _shingles[i], _signatures[i]);
                    kept++;
                }
            }

            _rows.RemoveRange(kept, _rows.Count - kept);
            _shingles.RemoveRange(kept, _shingles.Count - kept);
            _signatures.RemoveRange(kept, _signatures.Count - kept);
        }

        var parent = Enumerable.Range(0, _rows.Count).ToArray();
        int Find(int x)
        {
            while (parent[x] != x)
            {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }

            return x;
        }

        var verified = new Dictionary<(int, int), double>();
        for (var band = 0; band < Bands; band++)
        {
            var buckets = new Dictionary<UInt128, List<int>>();
            for (var d = 0; d < _signatures.Count; d++)
            {
                var key = XxHash128.HashToUInt128(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_signatures[d].AsSpan(band * RowsPerBand, RowsPerBand)), band);
                if (!buckets.TryGetValue(key, out var list))
                {
                    buckets[key] = list = [];
                }

                list.Add(d);
            }

            foreach (var bucket in buckets.Values.Where(b => b.Count > 1))
            {
                for (var i = 0; i < bucket.Count; i++)
                {
                    for (var j = i + 1; j < bucket.Count && j < i + 64; j++)
                    {
                        var pair = (bucket[i], bucket[j]);
                        if (verified.ContainsKey(pair))
                        {
                            continue;
                        }

                        var similarity = Jaccard(_shingles[pair.Item1], _shingles[pair.Item2]);
                        verified[pair] = similarity;
                        if (similarity >= threshold)
                        {
                            var (ra, rb) = (Find(pair.Item1), Find(pair.Item2));
                            if (ra != rb)
                            {
                                parent[Math.Max(ra, rb)] = Math.Min(ra, rb);
                            }
                        }
                    }
                }
            }
        }

        var clusters = new List<NearDuplicateCluster>();
        foreach (var group in Enumerable.Range(0, _rows.Count).GroupBy(Find).Where(g => g.Count() > 1))
        {
            var representative = group.Min();
            var members = new List<long> { _rows[representative] };
            var similarities = new List<double> { 1.0 };
            var minSimilarity = 1.0;
            foreach (var member in group.Where(m => m != representative))
            {
                // Re-check against the representative so chains A~B~C with A≁C do not swallow whole sources.
                var similarity = Jaccard(_shingles[representative], _shingles[member]);
                if (similarity >= threshold)
                {
                    members.Add(_rows[member]);
                    similarities.Add(similarity);
                    minSimilarity = Math.Min(minSimilarity, similarity);
                }
            }

            if (members.Count > 1)
            {
                clusters.Add(new NearDuplicateCluster(_rows[representative], members, minSimilarity, similarities));
            }
        }

        var samples = verified.Where(p => p.Value >= threshold).OrderBy(p => p.Key).Take(5)
            .Select(p => (_rows[p.Key.Item1], _rows[p.Key.Item2], Math.Round(p.Value, 3))).ToList();
        var histogram = clusters.GroupBy(c => c.Members.Count).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count());
        return new NearDuplicateResult(
            clusters.Sum(c => (long)c.Members.Count - 1),
            clusters.Sum(c => (long)c.Members.Count),
            clusters,
            histogram,
            samples,
            $"shingles={(code ? "code-token" : "word")} {ShingleSize}-grams, permutations={Permutations}, bands={Bands}x{RowsPerBand}, threshold={threshold.ToString(CultureInfo.InvariantCulture)}, seed=42");
    }

    private static double Jaccard(ulong[] a, ulong[] b)
    {
        int i = 0, j = 0, intersection = 0;
        while (i < a.Length && j < b.Length)
        {
            if (a[i] == b[j])
            {
                intersection++;
                i++;
                j++;
            }
            else if (a[i] < b[j])
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        var union = a.Length + b.Length - intersection;
        return union == 0 ? 1 : (double)intersection / union;
    }

    private static List<string> ProseTokens(string text)
    {
        // datatrove-style: lowercase, strip punctuation and diacritics, digits to one token.
        var decomposed = text.ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var ch in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(ch);
            if (category == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            sb.Append(char.IsDigit(ch) ? '0' : char.IsLetterOrDigit(ch) ? ch : ' ');
        }

        return sb.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
    }

    private static List<string> CodeTokens(string text)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            var ch = text[i];
            if (char.IsWhiteSpace(ch))
            {
                i++;
                continue;
            }

            var start = i;
            if (char.IsLetterOrDigit(ch) || ch == '_')
            {
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }
            }
            else
            {
                i++;
            }

            tokens.Add(text[start..i]);
        }

        return tokens;
    }

    private static (ulong, ulong)[] MakeCoefficients()
    {
        var random = new Random(42);
        return Enumerable.Range(0, Permutations)
            .Select(_ => ((ulong)random.NextInt64(1, (long)MersennePrime), (ulong)random.NextInt64(0, (long)MersennePrime)))
            .ToArray();
    }
}
