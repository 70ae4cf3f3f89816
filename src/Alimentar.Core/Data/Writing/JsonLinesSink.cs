using System.Text.Json;
using Apache.Arrow;

namespace Alimentar.Data.Writing;

/// <summary>JSON Lines: one object a row, keys in schema order, nulls written as null.</summary>
internal sealed class JsonLinesSink : RecordBatchSink
{
    private readonly FileStream _stream;
    private readonly Utf8JsonWriter _json;

    public JsonLinesSink(string path, Schema schema)
        : base(path, schema)
    {
        _stream = new FileStream(TempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
        _json = new Utf8JsonWriter(_stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true });
    }

    protected override void WriteBatch(RecordBatch batch)
    {
        var names = Schema.FieldsList.Select(f => JsonEncodedText.Encode(f.Name)).ToArray();
        for (var r = 0; r < batch.Length; r++)
        {
            _json.WriteStartObject();
            for (var c = 0; c < batch.ColumnCount; c++)
            {
                _json.WritePropertyName(names[c]);
                ArrowCellWriter.WriteJson(_json, batch.Column(c), r);
            }

            _json.WriteEndObject();
            _json.Flush();
            _stream.WriteByte((byte)'\n');
            _json.Reset();
        }
    }

    protected override void Finish() => Close();

    protected override void Close()
    {
        _json.Dispose();
        _stream.Dispose();
    }
}
