namespace Alimentar.Hub.Cards;

/// <summary>The <c>size_categories</c> bucket of a row count (card-metadata.md §3: lower bounds inclusive).</summary>
public static class SizeCategories
{
    private static readonly string[] Buckets = ["1K<n<10K", "10K<n<100K", "100K<n<1M", "1M<n<10M", "10M<n<100M", "100M<n<1B", "1B<n<10B", "10B<n<100B", "100B<n<1T"];

    public static string For(long rows)
    {
        if (rows <= 0)
        {
            return "unknown";
        }

        if (rows < 1000)
        {
            return "n<1K";
        }

        var bound = 1000L;
        foreach (var bucket in Buckets)
        {
            if (rows < bound * 10)
            {
                return bucket;
            }

            bound *= 10;
        }

        return "n>1T";
    }
}
