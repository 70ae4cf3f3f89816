using Alimentar.Quality;
using FsCheck;
using FsCheck.Fluent;

namespace Alimentar.Tests.Quality;

public sealed class NearDuplicateTests
{
    private const ulong Prime = (1UL << 61) - 1;

    [Fact]
    public void TheDivisionFreePermutationEqualsTheModularFormula()
    {
        // Oracle: 128-bit arithmetic and a real division.
        var below = Gen.Choose(0, int.MaxValue).Zip(Gen.Choose(0, int.MaxValue)).Select(t => (((ulong)t.Item1 << 31) ^ (ulong)t.Item2) % Prime);
        Prop.ForAll(
            below.Zip(below).Zip(below).ToArbitrary(),
            t => NearDuplicateDetector.MulAddMod(t.Item1.Item1, t.Item1.Item2, t.Item2) == (ulong)(((UInt128)t.Item1.Item1 * t.Item1.Item2 + t.Item2) % Prime)).QuickCheckThrowOnFailure();
        foreach (var edge in new[] { 0UL, 1UL, Prime - 1, Prime - 2, 1UL << 60 })
        {
            Assert.Equal((ulong)(((UInt128)(Prime - 1) * edge + (Prime - 1)) % Prime), NearDuplicateDetector.MulAddMod(Prime - 1, edge, Prime - 1));
        }
    }

    [Fact]
    public void ParallelAddingFindsWhatAddingOneByOneFinds()
    {
        var random = new Random(7);
        var words = Enumerable.Range(0, 300).Select(i => "w" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "x").ToArray();
        var texts = new List<string>();
        for (var i = 0; i < 400; i++)
        {
            var doc = Enumerable.Range(0, 40).Select(_ => words[random.Next(words.Length)]).ToArray();
            texts.Add(string.Join(' ', doc));
            if (i % 10 == 0)
            {
                // A near copy: one word changed, and an accented, upper-case spelling that normalizes to the same tokens.
                doc[random.Next(doc.Length)] = "changed";
                texts.Add(string.Join(' ', doc).ToUpperInvariant());
                texts.Add("Café " + string.Join(' ', doc));
            }
        }

        var one = new NearDuplicateDetector(0.8, code: false);
        for (var i = 0; i < texts.Count; i++)
        {
            one.Add(i, texts[i]);
        }

        var many = new NearDuplicateDetector(0.8, code: false);
        many.AddRange(0, texts.Count, r => texts[r]);
        var a = one.Compute();
        var b = many.Compute();
        Assert.Equal(a.Clusters.Select(c => string.Join(",", c.Members)), b.Clusters.Select(c => string.Join(",", c.Members)));
        Assert.True(a.Clusters.Count >= 35, $"{a.Clusters.Count} clusters");
        Assert.All(a.Clusters, c => Assert.All(c.Similarities!, s => Assert.True(s >= 0.8)));
    }

    [Fact]
    public void TheVectorSignatureEqualsTheScalarOne()
    {
        // The CLI itself requires x86-64-v3 (AVX2), so the machines that run this suite have it.
        Assert.True(System.Runtime.Intrinsics.X86.Avx2.IsSupported, "this suite expects an AVX2 machine");
        var random = new Random(3);
        for (var n = 1; n < 200; n++)
        {
            var shingles = Enumerable.Range(0, n).Select(_ => random.NextInt64() is var v && random.Next(4) == 0 ? ulong.MaxValue - (ulong)random.Next(8) : (ulong)v).ToArray();
            var scalar = new ulong[128];
            var vector = new ulong[128];
            NearDuplicateDetector.Signature(shingles, scalar, vectorized: false);
            NearDuplicateDetector.Signature(shingles, vector, vectorized: true);
            Assert.Equal(scalar, vector);
        }
    }
}
