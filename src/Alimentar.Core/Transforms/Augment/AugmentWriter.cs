using Alimentar.Data.Lossless;
using Alimentar.Data.Writing;
using Alimentar.Semantics;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace Alimentar.Transforms.Augment;

/// <summary>
/// The writing pass: original rows (less the undersampled ones, noised when asked) stream to the output batch by
/// batch; generated rows take their seed row's cells by block copy, get their synthesized numeric and categorical
/// values and any text noise, and follow the originals.
/// </summary>
internal sealed class AugmentWriter : IDisposable
{
    private readonly FeatureTable _table;
    private readonly AugmentOptions _options;
    private readonly RecordBatchSink _sink;
    private readonly Schema _schema;
    private readonly int _augmentedIndex;
    private readonly int _sourceRowIndex;
    private readonly bool _addsProvenance;

    private readonly string _spill;

    public AugmentWriter(FeatureTable table, AugmentOptions options, string output, string spill)
    {
        _spill = spill;
        _table = table;
        _options = options;
        var fields = table.Schema.FieldsList.ToList();
        _augmentedIndex = fields.FindIndex(f => f.Name == ProvenanceColumns.Augmented);
        _sourceRowIndex = fields.FindIndex(f => f.Name == ProvenanceColumns.SourceRow);
        _addsProvenance = options.Provenance && _augmentedIndex < 0 && _sourceRowIndex < 0;
        if (_addsProvenance)
        {
            _augmentedIndex = fields.Count;
            _sourceRowIndex = fields.Count + 1;
            fields.Add(new Field(ProvenanceColumns.Augmented, BooleanType.Default, nullable: false));
            fields.Add(new Field(ProvenanceColumns.SourceRow, Int64Type.Default, nullable: true));
        }

        _schema = new Schema(fields, table.Schema.Metadata);
        _sink = RecordBatchSink.Create(output, _schema, options.Sink);
    }

    public long Write(IReadOnlyList<string> files, GenerationPlan plan, DatasetAugmenter.Synthesized synthesized, OutputShapes shapes, CancellationToken cancellation)
    {
        var noise = new Random(unchecked(_options.Seed * 31 + 1));
        var text = new Random(unchecked(_options.Seed * 31 + 2));
        // Generated rows follow the originals; until then they wait in a temporary Arrow IPC file, not in memory.
        using var pending = RecordBatchSink.Create(_spill, _schema, format: OutputFormat.ArrowIpc);
        long offset = 0;
        var next = 0;
        foreach (var file in files)
        {
            using var source = RecordBatchSources.Open(file, _options.Profile.NullTokens, _options.Delimiter);
            foreach (var batch in source.Batches())
            {
                cancellation.ThrowIfCancellationRequested();
                _options.Report("writing", offset, _table.Rows);
                var start = offset;
                var filtered = RowFilter.Apply(batch, r => !plan.Removed[start + r]);
                var kept = Enumerable.Range(0, batch.Length).Where(r => !plan.Removed[start + r]).Select(r => start + r).ToList();
                var columns = filtered.Arrays.ToList();
                if (_options.NoiseOriginals && _options.Noise is > 0 and var sigma)
                {
                    NoiseOriginals(columns, kept, sigma, noise, text);
                }

                Emit(columns, filtered.Length, generated: null, shapes);

                var seeds = new List<int>();
                var generated = new List<int>();
                while (next < plan.Rows.Count && plan.Rows[next].Seed < start + batch.Length)
                {
                    seeds.Add((int)(plan.Rows[next].Seed - start));
                    generated.Add(next++);
                }

                if (generated.Count > 0)
                {
                    var taken = RowFilter.Take(batch, seeds);
                    var cells = taken.Arrays.ToList();
                    Replace(cells, generated, plan, synthesized, text);
                    using var built = Build(cells, taken.Length, generated.Select(g => plan.Rows[g].Seed).ToList());
                    pending.Write(built);
                }

                if (!ReferenceEquals(filtered, batch))
                {
                    filtered.Dispose();
                }

                offset += batch.Length;
                batch.Dispose();
            }
        }

        pending.Commit();
        using (var spilled = RecordBatchSources.Open(_spill))
        {
            foreach (var batch in spilled.Batches())
            {
                using (batch)
                {
                    _sink.Write(batch);
                    shapes.Add(batch);
                }
            }
        }

        _sink.Commit();
        return _sink.Rows;
    }

    public void Dispose() => _sink.Dispose();

    private void Emit(List<IArrowArray> columns, int length, List<long>? generated, OutputShapes shapes)
    {
        var batch = Build(columns, length, generated);
        _sink.Write(batch);
        shapes.Add(batch);
    }

    /// <summary>The output batch: the columns plus provenance (false and null for originals, true and the seed row for generated rows).</summary>
    private RecordBatch Build(List<IArrowArray> columns, int length, List<long>? seeds)
    {
        var arrays = new List<IArrowArray>(columns);
        if (_addsProvenance)
        {
            arrays.Add(Augmented(length, seeds is not null));
            arrays.Add(SourceRows(length, seeds));
        }
        else if (seeds is not null && _augmentedIndex >= 0 && _sourceRowIndex >= 0)
        {
            arrays[_augmentedIndex] = Augmented(length, true);
            arrays[_sourceRowIndex] = SourceRows(length, seeds);
        }

        return new RecordBatch(_schema, arrays, length);
    }

    private static IArrowArray Augmented(int length, bool value)
    {
        var builder = new BooleanArray.Builder();
        for (var i = 0; i < length; i++)
        {
            builder.Append(value);
        }

        return builder.Build();
    }

    private static IArrowArray SourceRows(int length, List<long>? seeds)
    {
        var builder = new Int64Array.Builder();
        for (var i = 0; i < length; i++)
        {
            _ = seeds is null ? builder.AppendNull() : builder.Append(seeds[i]);
        }

        return builder.Build();
    }

    private void Replace(List<IArrowArray> cells, List<int> generated, GenerationPlan plan, DatasetAugmenter.Synthesized synthesized, Random text)
    {
        for (var f = 0; f < _table.NumericColumns.Length; f++)
        {
            var column = _table.NumericColumns[f];
            cells[column] = NumericArrays.Build(cells[column], generated.Select(g => synthesized.Numeric[f][g]).ToList());
        }

        for (var f = 0; f < _table.CategoricalColumns.Length; f++)
        {
            var column = _table.CategoricalColumns[f];
            cells[column] = Categorical(cells[column], generated.Select(g => synthesized.Categorical[f][g]).Select(code => code < 0 ? null : _table.Categories[f][code]).ToList());
        }

        for (var c = 0; c < cells.Count; c++)
        {
            if (_table.Treatments[c] == ColumnTreatment.Text && cells[c] is StringArray strings)
            {
                cells[c] = Strings(Enumerable.Range(0, strings.Length).Select(i =>
                    strings.IsNull(i) ? null : plan.Rows[generated[i]].TextNoise <= 0 ? strings.GetString(i) : (string?)TextNoise.Perturb(strings.GetString(i), plan.Rows[generated[i]].TextNoise, text)).ToList());
            }
        }
    }

    private void NoiseOriginals(List<IArrowArray> columns, List<long> rows, double sigma, Random noise, Random text)
    {
        for (var f = 0; f < _table.NumericColumns.Length; f++)
        {
            var column = _table.NumericColumns[f];
            var values = rows.Select(r =>
            {
                var x = _table.Numeric[f][r];
                if (double.IsNaN(x))
                {
                    return x;
                }

                var v = _table.Noised(f, x, sigma, noise);
                return _table.Integral[f] ? Math.Round(v) : v;
            }).ToList();
            columns[column] = NumericArrays.Build(columns[column], values);
        }

        for (var f = 0; f < _table.CategoricalColumns.Length && _options.CategoricalNoise is > 0; f++)
        {
            var column = _table.CategoricalColumns[f];
            var codes = _table.Categorical[f];
            columns[column] = Categorical(columns[column], rows.Select(r =>
                noise.NextDouble() < _options.CategoricalNoise ? codes[noise.Next(codes.Length)] : codes[r]).Select(code => code < 0 ? null : _table.Categories[f][code]).ToList());
        }

        for (var c = 0; c < columns.Count; c++)
        {
            if (_table.Treatments[c] == ColumnTreatment.Text && columns[c] is StringArray strings)
            {
                columns[c] = Strings(Enumerable.Range(0, strings.Length).Select(i => strings.IsNull(i) ? null : (string?)TextNoise.Perturb(strings.GetString(i), sigma, text)).ToList());
            }
        }
    }

    private static IArrowArray Categorical(IArrowArray like, List<string?> values)
    {
        if (like is BooleanArray)
        {
            var builder = new BooleanArray.Builder();
            foreach (var v in values)
            {
                _ = v is null ? builder.AppendNull() : builder.Append(v == "true");
            }

            return builder.Build();
        }

        return Strings(values);
    }

    private static StringArray Strings(List<string?> values)
    {
        var builder = new StringArray.Builder();
        foreach (var v in values)
        {
            _ = v is null ? builder.AppendNull() : builder.Append(v);
        }

        return builder.Build();
    }
}
