using System.Text;
using Apache.Arrow;

namespace Alimentar.Data.Writing;

/// <summary>CSV (RFC 4180: quoted when needed, quotes doubled, LF line ends) or TSV, with a header row.</summary>
internal sealed class DelimitedSink : RecordBatchSink
{
    private readonly StreamWriter _writer;
    private readonly char _delimiter;

    public DelimitedSink(string path, Schema schema, char delimiter)
        : base(path, schema)
    {
        _delimiter = delimiter;
        _writer = new StreamWriter(new FileStream(TempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20), new UTF8Encoding(false)) { NewLine = "\n" };
        _writer.WriteLine(string.Join(delimiter, schema.FieldsList.Select(f => Quote(f.Name))));
    }

    protected override void WriteBatch(RecordBatch batch)
    {
        var line = new StringBuilder();
        for (var r = 0; r < batch.Length; r++)
        {
            line.Clear();
            for (var c = 0; c < batch.ColumnCount; c++)
            {
                if (c > 0)
                {
                    line.Append(_delimiter);
                }

                var array = batch.Column(c);
                if (!array.IsNull(r))
                {
                    var text = ArrowCellWriter.Text(array, r);

                    // An empty string is quoted so that it reads back as an empty string, not as a missing field.
                    line.Append(text.Length == 0 ? "\"\"" : Quote(text));
                }
            }

            _writer.WriteLine(line);
        }
    }

    protected override void Finish() => Close();

    protected override void Close() => _writer.Dispose();

    private string Quote(string value) =>
        value.IndexOfAny([_delimiter, '"', '\n', '\r']) >= 0 || (value.Length > 0 && (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1])))
            ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : value;
}
