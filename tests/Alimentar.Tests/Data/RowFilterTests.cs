using Alimentar.Data.Writing;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace Alimentar.Tests.Data;

/// <summary>The row filter's block-copy paths against a value-by-value oracle.</summary>
public sealed class RowFilterTests
{
    [Theory]
    [InlineData(1, 0.05)]
    [InlineData(2, 0.5)]
    [InlineData(3, 0.95)]
    [InlineData(4, 0.0)]
    [InlineData(5, 1.0)]
    public void KeptRowsAreTheRowsTheMaskKeepsInOrderForEveryColumnType(int seed, double dropRate)
    {
        var random = new Random(seed);
        const int rows = 3000;
        var batch = Batch(random, rows + 17);

        // A batch that starts mid-buffer (offset != 0), as slices of a reader's batches do.
        var sliced = new RecordBatch(batch.Schema, batch.Arrays.Select(a => ArrowArrayFactory.Slice(a, 17, rows)), rows);
        var keep = Enumerable.Range(0, rows).Select(_ => random.NextDouble() >= dropRate).ToArray();

        var filtered = RowFilter.Apply(sliced, r => keep[r]);

        var kept = Enumerable.Range(0, rows).Where(r => keep[r]).ToArray();
        Assert.Equal(kept.Length, filtered.Length);
        for (var c = 0; c < sliced.ColumnCount; c++)
        {
            var before = sliced.Column(c);
            var after = filtered.Column(c);
            Assert.Equal(kept.Length, after.Length);
            Assert.Equal(kept.Count(r => before.IsNull(r)), after.NullCount);
            for (var j = 0; j < kept.Length; j++)
            {
                Assert.Equal(before.IsNull(kept[j]), after.IsNull(j));
                Assert.Equal(ArrowCellWriter.Text(before, kept[j]), ArrowCellWriter.Text(after, j));
            }
        }
    }

    private static RecordBatch Batch(Random random, int rows)
    {
        bool Null() => random.Next(10) == 0;
        var ints = new Int64Array.Builder();
        var doubles = new DoubleArray.Builder();
        var bools = new BooleanArray.Builder();
        var strings = new StringArray.Builder();
        var decimals = new Decimal128Array.Builder(new Decimal128Type(12, 3));
        var stamps = new TimestampArray.Builder(new TimestampType(TimeUnit.Microsecond, "UTC"));
        var shorts = new Int16Array.Builder();
        var lists = new ListArray.Builder(Int32Type.Default);
        for (var i = 0; i < rows; i++)
        {
            _ = Null() ? ints.AppendNull() : ints.Append(random.NextInt64());
            _ = Null() ? doubles.AppendNull() : doubles.Append(random.NextDouble());
            _ = Null() ? bools.AppendNull() : bools.Append(random.Next(2) == 0);
            _ = Null() ? strings.AppendNull() : strings.Append(new string('x', random.Next(0, 40)) + i);
            _ = Null() ? decimals.AppendNull() : decimals.Append(random.Next(-1_000_000, 1_000_000) / 1000m);
            _ = Null() ? stamps.AppendNull() : stamps.Append(DateTimeOffset.UnixEpoch.AddTicks(random.NextInt64(0, 1L << 60)));
            _ = shorts.Append((short)random.Next(short.MinValue, short.MaxValue));
            if (Null())
            {
                lists.AppendNull();
            }
            else
            {
                lists.Append();
                var values = (Int32Array.Builder)lists.ValueBuilder;
                for (var k = random.Next(4); k > 0; k--)
                {
                    values.Append(random.Next());
                }
            }
        }

        var arrays = new IArrowArray[] { ints.Build(), doubles.Build(), bools.Build(), strings.Build(), decimals.Build(), stamps.Build(), shorts.Build(), lists.Build() };
        var schema = new Schema(arrays.Select((a, i) => new Field($"c{i}", a.Data.DataType, true)), null);
        return new RecordBatch(schema, arrays, rows);
    }
}
