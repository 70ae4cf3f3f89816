using Alimentar.Quality.Accumulators;

namespace Alimentar.Tests.Quality;

/// <summary>The vectorised byte scan against the obvious loop, across vector boundaries.</summary>
public sealed class TextInspectorTests
{
    [Fact]
    public void ScanAgreesWithANaiveLoop()
    {
        var random = new Random(11);
        byte[] alphabet = [(byte)'a', (byte)'z', (byte)' ', (byte)' ', (byte)'\n', 0x7F, 0x80, 0xC3, 0x1F, 0x20];
        for (var trial = 0; trial < 20_000; trial++)
        {
            var value = new byte[random.Next(0, 140)];
            for (var i = 0; i < value.Length; i++)
            {
                // Mostly letters, so each property is sometimes absent; a double space often straddles byte 31/32.
                value[i] = random.Next(8) == 0 ? alphabet[random.Next(alphabet.Length)] : (byte)('a' + random.Next(26));
            }

            var expected = (
                Ascii: value.All(b => b < 0x80),
                Control: value.Any(b => b < 0x20),
                DoubleSpace: value.Zip(value.Skip(1)).Any(p => p.First == ' ' && p.Second == ' '));
            Assert.Equal(expected, TextInspector.Scan(value));
        }
    }

    [Theory]
    [InlineData(31)]
    [InlineData(63)]
    public void DoubleSpaceAcrossAVectorBoundaryIsFound(int at)
    {
        var value = Enumerable.Repeat((byte)'x', 96).ToArray();
        value[at] = (byte)' ';
        value[at + 1] = (byte)' ';
        Assert.True(TextInspector.Scan(value).DoubleSpace);
        Assert.False(TextInspector.IsNormalizedFast(value, code: false, TextInspector.Inspect(value)));
    }

    [Fact]
    public void SpacesEndingTwoBlocksAreNotADoubleSpace()
    {
        var value = Enumerable.Repeat((byte)'x', 96).ToArray();
        value[31] = (byte)' ';
        value[63] = (byte)' ';
        value[95] = (byte)' ';
        Assert.False(TextInspector.Scan(value).DoubleSpace);
        Assert.False(TextInspector.Scan(value.AsSpan(0, 40)).DoubleSpace);
    }
}
