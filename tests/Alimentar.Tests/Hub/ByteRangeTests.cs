using Alimentar.Hub.Http;

namespace Alimentar.Tests.Hub;

/// <summary>The Range header as a download answers it (RFC 9110 14.2): one range served, anything else the whole file.</summary>
public sealed class ByteRangeTests
{
    [Theory]
    [InlineData("bytes=0-9", 100, "Partial", 0, 9)]
    [InlineData("bytes=90-", 100, "Partial", 90, 99)]
    [InlineData("bytes=-10", 100, "Partial", 90, 99)]
    [InlineData("bytes=-1000", 100, "Partial", 0, 99)]
    [InlineData("bytes=50-5000", 100, "Partial", 50, 99)]
    [InlineData("BYTES= 5-6 ", 100, "Partial", 5, 6)]
    [InlineData("bytes=100-", 100, "Unsatisfiable", 0, -1)]
    [InlineData("bytes=-0", 100, "Unsatisfiable", 0, -1)]
    [InlineData("bytes=-5", 0, "Unsatisfiable", 0, -1)]
    [InlineData("bytes=0-1,5-6", 100, "Whole", 0, 99)]
    [InlineData("bytes=9-1", 100, "Whole", 0, 99)]
    [InlineData("bytes=a-b", 100, "Whole", 0, 99)]
    [InlineData("items=0-1", 100, "Whole", 0, 99)]
    [InlineData("bytes=99999999999999999999-", 100, "Whole", 0, 99)]
    [InlineData("bytes=9223372036854775806-9223372036854775807", 100, "Unsatisfiable", 0, -1)]
    public void AHeaderIsAnsweredAsHttpSays(string header, long length, string answer, long from, long to) =>
        Assert.Equal(new ByteRange(Enum.Parse<RangeAnswer>(answer), from, to), ByteRange.For(header, length));
}
