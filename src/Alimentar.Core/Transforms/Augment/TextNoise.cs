namespace Alimentar.Transforms.Augment;

/// <summary>
/// EDA's two lexicon-free operations on prose: random swap (about p of the words, at least one swap) and random
/// deletion (each word with probability p, never all of them). Whitespace between words becomes single spaces.
/// </summary>
internal static class TextNoise
{
    public static string Perturb(string text, double p, Random random)
    {
        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).ToList();
        if (words.Count < 2 || p <= 0)
        {
            return text;
        }

        var swaps = Math.Max(1, (int)Math.Round(p * words.Count));
        for (var s = 0; s < swaps; s++)
        {
            var a = random.Next(words.Count);
            var b = random.Next(words.Count);
            (words[a], words[b]) = (words[b], words[a]);
        }

        var kept = words.Where(_ => random.NextDouble() >= p).ToList();
        return string.Join(' ', kept.Count > 0 ? kept : [words[random.Next(words.Count)]]);
    }
}
