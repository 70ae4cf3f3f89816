using System.Globalization;
using System.IO.Hashing;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
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
/// Per document only its sorted shingle hashes and 16 band keys are kept (the 128-value signature is folded into
/// the band keys as soon as it is computed); documents are shingled and signed in parallel, and each band's
/// buckets are found by sorting (key, document) pairs instead of a dictionary of lists.
/// </summary>
public sealed class NearDuplicateDetector(double threshold, bool code)
{
    private const int Permutations = 128;
    private const int Bands = 16;
    private const int RowsPerBand = 8;
    private const int ShingleSize = 5;
    private const ulong MersennePrime = (1UL << 61) - 1;

    /// <summary>Candidates per document within one bucket (a bucket of thousands of identical boilerplate rows would otherwise cost n²).</summary>
    private const int BucketWindow = 64;

    private static readonly ulong[] MultiplierA = MakeCoefficients().Select(c => c.A).ToArray();
    private static readonly ulong[] AddendB = MakeCoefficients().Select(c => c.B).ToArray();

    private readonly List<long> _rows = [];
    private readonly List<ulong[]> _shingles = [];
    private readonly List<ulong> _bandKeys = [];

    public int Documents => _rows.Count;

    /// <summary>Adds one row's text. Documents shorter than 5 tokens are left to exact hashing.</summary>
    public void Add(long row, string text)
    {
        if (Shingle(text) is { } shingles)
        {
            Span<ulong> keys = stackalloc ulong[Bands];
            BandKeys(shingles, keys);
            Append(row, shingles, keys);
        }
    }

    /// <summary>
    /// Adds rows <paramref name="firstRow"/> .. + <paramref name="count"/> - 1 (those <paramref name="skip"/> does not
    /// name), shingling and signing them in parallel; documents keep row order.
    /// </summary>
    public void AddRange(long firstRow, int count, Func<int, string> text, Func<int, bool>? skip = null, int maxDegreeOfParallelism = -1)
    {
        var shingles = new ulong[]?[count];
        var keys = new ulong[count * Bands];
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism }, r =>
        {
            if (skip?.Invoke(r) == true || Shingle(text(r)) is not { } set)
            {
                return;
            }

            shingles[r] = set;
            BandKeys(set, keys.AsSpan(r * Bands, Bands));
        });

        for (var r = 0; r < count; r++)
        {
            if (shingles[r] is { } set)
            {
                Append(firstRow + r, set, keys.AsSpan(r * Bands, Bands));
            }
        }
    }

    private void Append(long row, ulong[] shingles, ReadOnlySpan<ulong> keys)
    {
        _rows.Add(row);
        _shingles.Add(shingles);
        foreach (var key in keys)
        {
            _bandKeys.Add(key);
        }
    }

    /// <summary>Clusters the documents; rows <paramref name="exclude"/> names (exact duplicates, counted already) are left out.</summary>
    public NearDuplicateResult Compute(Func<long, bool>? exclude = null)
    {
        var documents = Enumerable.Range(0, _rows.Count).Where(d => exclude is null || !exclude(_rows[d])).ToArray();

        // Candidate pairs per band: documents sorted by (band key, position), equal keys form a bucket, and each
        // document pairs with the next ones of its bucket. Pairs are packed (earlier, later) in one long.
        var candidates = new HashSet<long>[Bands];
        Parallel.For(0, Bands, band =>
        {
            var entries = new (ulong Key, int Document)[documents.Length];
            for (var i = 0; i < documents.Length; i++)
            {
                entries[i] = (_bandKeys[(documents[i] * Bands) + band], i);
            }

            Array.Sort(entries);
            var pairs = new HashSet<long>();
            for (var start = 0; start < entries.Length;)
            {
                var end = start + 1;
                while (end < entries.Length && entries[end].Key == entries[start].Key)
                {
                    end++;
                }

                for (var i = start; i < end; i++)
                {
                    for (var j = i + 1; j < end && j < i + BucketWindow; j++)
                    {
                        pairs.Add(((long)entries[i].Document << 32) | (uint)entries[j].Document);
                    }
                }

                start = end;
            }

            candidates[band] = pairs;
        });

        var unique = new HashSet<long>();
        foreach (var pairs in candidates)
        {
            unique.UnionWith(pairs);
        }

        var packed = unique.ToArray();
        Array.Sort(packed);
        var similarities = new double[packed.Length];
        Parallel.For(0, packed.Length, k =>
        {
            var (a, b) = Unpack(packed[k]);
            similarities[k] = Jaccard(_shingles[documents[a]], _shingles[documents[b]]);
        });

        var parent = Enumerable.Range(0, documents.Length).ToArray();
        int Find(int x)
        {
            while (parent[x] != x)
            {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }

            return x;
        }

        for (var k = 0; k < packed.Length; k++)
        {
            if (similarities[k] >= threshold)
            {
                var (a, b) = Unpack(packed[k]);
                var (ra, rb) = (Find(a), Find(b));
                if (ra != rb)
                {
                    parent[Math.Max(ra, rb)] = Math.Min(ra, rb);
                }
            }
        }

        var clusters = new List<NearDuplicateCluster>();
        foreach (var group in Enumerable.Range(0, documents.Length).GroupBy(Find).Where(g => g.Count() > 1))
        {
            var representative = documents[group.Min()];
            var members = new List<long> { _rows[representative] };
            var memberSimilarities = new List<double> { 1.0 };
            var minSimilarity = 1.0;
            foreach (var member in group.Select(m => documents[m]).Where(m => m != representative))
            {
                // Re-check against the representative so chains A~B~C with A≁C do not swallow whole sources.
                var similarity = Jaccard(_shingles[representative], _shingles[member]);
                if (similarity >= threshold)
                {
                    members.Add(_rows[member]);
                    memberSimilarities.Add(similarity);
                    minSimilarity = Math.Min(minSimilarity, similarity);
                }
            }

            if (members.Count > 1)
            {
                clusters.Add(new NearDuplicateCluster(_rows[representative], members, minSimilarity, memberSimilarities));
            }
        }

        var samples = Enumerable.Range(0, packed.Length).Where(k => similarities[k] >= threshold).Take(5)
            .Select(k => Unpack(packed[k]) is var (a, b) ? (_rows[documents[a]], _rows[documents[b]], Math.Round(similarities[k], 3)) : default).ToList();
        var histogram = clusters.GroupBy(c => c.Members.Count).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count());
        return new NearDuplicateResult(
            clusters.Sum(c => (long)c.Members.Count - 1),
            clusters.Sum(c => (long)c.Members.Count),
            clusters,
            histogram,
            samples,
            $"shingles={(code ? "code-token" : "word")} {ShingleSize}-grams, permutations={Permutations}, bands={Bands}x{RowsPerBand}, threshold={threshold.ToString(CultureInfo.InvariantCulture)}, seed=42");
    }

    private static (int A, int B) Unpack(long pair) => ((int)(pair >> 32), (int)(uint)pair);

    /// <summary>The document's distinct shingle hashes, sorted; null below five tokens.</summary>
    private ulong[]? Shingle(string text)
    {
        var tokens = new List<ulong>(64);
        if (code)
        {
            CodeTokens(text, tokens);
        }
        else
        {
            ProseTokens(text, tokens);
        }

        if (tokens.Count < ShingleSize)
        {
            return null;
        }

        var hashes = new ulong[tokens.Count - ShingleSize + 1];
        var window = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(tokens);
        for (var i = 0; i < hashes.Length; i++)
        {
            hashes[i] = XxHash3.HashToUInt64(System.Runtime.InteropServices.MemoryMarshal.AsBytes(window.Slice(i, ShingleSize)));
        }

        Array.Sort(hashes);
        var distinct = 1;
        for (var i = 1; i < hashes.Length; i++)
        {
            if (hashes[i] != hashes[distinct - 1])
            {
                hashes[distinct++] = hashes[i];
            }
        }

        return distinct == hashes.Length ? hashes : hashes[..distinct];
    }

    /// <summary>The 128-permutation MinHash signature, folded band by band into 16 keys.</summary>
    private static void BandKeys(ulong[] shingles, Span<ulong> keys)
    {
        Span<ulong> signature = stackalloc ulong[Permutations];
        Signature(shingles, signature, vectorized: Avx2.IsSupported);
        for (var band = 0; band < Bands; band++)
        {
            keys[band] = XxHash3.HashToUInt64(System.Runtime.InteropServices.MemoryMarshal.AsBytes(signature.Slice(band * RowsPerBand, RowsPerBand)), band);
        }
    }

    /// <summary>signature[p] = min over shingles h of (a_p·(h mod P) + b_p) mod P.</summary>
    internal static void Signature(ReadOnlySpan<ulong> shingles, Span<ulong> signature, bool vectorized)
    {
        if (vectorized)
        {
            SignatureAvx2(shingles, signature);
            return;
        }

        signature.Fill(MersennePrime);
        foreach (var h in shingles)
        {
            var x = h % MersennePrime;
            for (var p = 0; p < Permutations; p++)
            {
                var value = MulAddMod(MultiplierA[p], x, AddendB[p]);
                if (value < signature[p])
                {
                    signature[p] = value;
                }
            }
        }
    }

    /// <summary>
    /// Four permutations at a time. AVX2 multiplies only 32 by 32 bits, so a·x (both below 2^61) is taken in 32-bit
    /// limbs, a = a1·2^32 + a0 and x = x1·2^32 + x0, and folded with 2^61 ≡ 1: a1·x1·2^64 ≡ 8·a1·x1, and the middle
    /// terms m·2^32 with m = m1·2^29 + m0 give m0·2^32 + m1. Every partial sum stays below 2^63, so signed compares
    /// work for the final reduction and the minimum. A third of the scalar loop's time (a 64 by 64 multiply each).
    /// </summary>
    private static unsafe void SignatureAvx2(ReadOnlySpan<ulong> shingles, Span<ulong> signature)
    {
        var prime = Vector256.Create(MersennePrime);
        var low29 = Vector256.Create((1UL << 29) - 1);
        var primeMinusOne = Vector256.Create((long)MersennePrime - 1);
        signature.Fill(MersennePrime);
        fixed (ulong* a = MultiplierA, b = AddendB, s = signature)
        {
            foreach (var h in shingles)
            {
                var x = h % MersennePrime;
                var x0 = Vector256.Create(x & 0xFFFF_FFFF).AsUInt32();
                var x1 = Vector256.Create(x >> 32).AsUInt32();
                for (var p = 0; p < Permutations; p += 4)
                {
                    var av = Avx.LoadVector256(a + p);
                    var a1 = Avx2.ShiftRightLogical(av, 32).AsUInt32();
                    var low = Avx2.Multiply(av.AsUInt32(), x0);
                    var middle = Avx2.Add(Avx2.Multiply(a1, x0), Avx2.Multiply(av.AsUInt32(), x1));
                    var high = Avx2.Multiply(a1, x1);
                    var folded = (Avx2.ShiftLeftLogical(middle & low29, 32) + Avx2.ShiftRightLogical(middle, 29))
                        + ((low & prime) + Avx2.ShiftRightLogical(low, 61))
                        + Avx2.ShiftLeftLogical(high, 3)
                        + Avx.LoadVector256(b + p);
                    folded = (folded & prime) + Avx2.ShiftRightLogical(folded, 61);
                    folded -= Avx2.CompareGreaterThan(folded.AsInt64(), primeMinusOne).AsUInt64() & prime;
                    var current = Avx.LoadVector256(s + p);
                    var smaller = Avx2.CompareGreaterThan(current.AsInt64(), folded.AsInt64()).AsUInt64();
                    Avx.Store(s + p, Avx2.BlendVariable(current, folded, smaller));
                }
            }
        }
    }

    /// <summary>(a·x + b) mod (2^61 − 1) for a, x, b below the prime, without a 128-bit division.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal static ulong MulAddMod(ulong a, ulong x, ulong b)
    {
        var high = Math.BigMul(a, x, out var low);
        // a·x < 2^122: split at bit 61 (2^61 ≡ 1), then add b; each fold keeps the value congruent and shrinks it.
        var folded = (low & MersennePrime) + ((low >> 61) | (high << 3)) + b;
        folded = (folded & MersennePrime) + (folded >> 61);
        return folded >= MersennePrime ? folded - MersennePrime : folded;
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

    /// <summary>
    /// datatrove-style prose tokens: lowercase, punctuation and diacritics stripped, every digit the same token
    /// character. ASCII text is tokenized in place; other text is lowercased and decomposed first.
    /// </summary>
    private static void ProseTokens(string text, List<ulong> tokens)
    {
        if (!System.Text.Ascii.IsValid(text))
        {
            var decomposed = text.ToLowerInvariant().Normalize(NormalizationForm.FormD);
            var sb = new StringBuilder(decomposed.Length);
            foreach (var ch in decomposed)
            {
                if (CharUnicodeInfo.GetUnicodeCategory(ch) != UnicodeCategory.NonSpacingMark)
                {
                    sb.Append(char.IsDigit(ch) ? '0' : char.IsLetterOrDigit(ch) ? ch : ' ');
                }
            }

            text = sb.ToString();
        }

        Span<char> token = stackalloc char[256];
        var length = 0;
        var overflow = default(StringBuilder);
        foreach (var raw in text)
        {
            var ch = raw < 128 ? (char.IsAsciiDigit(raw) ? '0' : char.IsAsciiLetter(raw) ? (char)(raw | 0x20) : ' ') : raw;
            if (ch == ' ')
            {
                Flush(tokens, token, ref length, ref overflow);
                continue;
            }

            if (length < token.Length)
            {
                token[length++] = ch;
            }
            else
            {
                (overflow ??= new StringBuilder()).Append(ch);
            }
        }

        Flush(tokens, token, ref length, ref overflow);
    }

    private static void Flush(List<ulong> tokens, Span<char> token, ref int length, ref StringBuilder? overflow)
    {
        if (length == 0)
        {
            return;
        }

        if (overflow is { Length: > 0 })
        {
            tokens.Add(TokenHash(string.Concat(token[..length], overflow.ToString())));
            overflow.Clear();
        }
        else
        {
            tokens.Add(TokenHash(token[..length]));
        }

        length = 0;
    }

    private static ulong TokenHash(ReadOnlySpan<char> token) => XxHash3.HashToUInt64(System.Runtime.InteropServices.MemoryMarshal.AsBytes(token));

    private static void CodeTokens(string text, List<ulong> tokens)
    {
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

            tokens.Add(TokenHash(text.AsSpan(start, i - start)));
        }
    }

    private static (ulong A, ulong B)[] MakeCoefficients()
    {
        var random = new Random(42);
        return Enumerable.Range(0, Permutations)
            .Select(_ => ((ulong)random.NextInt64(1, (long)MersennePrime), (ulong)random.NextInt64(0, (long)MersennePrime)))
            .ToArray();
    }
}
