using ParquetSharp;

namespace Alimentar.Tests.Support;

/// <summary>Writes small datasets for tests.</summary>
public static class TestData
{
    public static string Csv(string dir, string name, params string[] lines)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, string.Join("\n", lines) + "\n");
        return path;
    }

    /// <summary>A Parquet file with an int64 id (nullable), a string label and a double, in row groups of <paramref name="rowGroupSize"/>.</summary>
    public static string Parquet(string path, long?[] ids, string?[] labels, double?[] values, int rowGroupSize)
    {
        var columns = new Column[] { new Column<long?>("id"), new Column<string?>("label"), new Column<double?>("value") };
        using var writer = new ParquetFileWriter(path, columns);
        for (var start = 0; start < ids.Length; start += rowGroupSize)
        {
            var count = Math.Min(rowGroupSize, ids.Length - start);
            using var rowGroup = writer.AppendRowGroup();
            using (var w = rowGroup.NextColumn().LogicalWriter<long?>())
            {
                w.WriteBatch(ids.AsSpan(start, count));
            }

            using (var w = rowGroup.NextColumn().LogicalWriter<string?>())
            {
                w.WriteBatch(labels.AsSpan(start, count));
            }

            using (var w = rowGroup.NextColumn().LogicalWriter<double?>())
            {
                w.WriteBatch(values.AsSpan(start, count));
            }
        }

        writer.Close();
        return path;
    }
}
