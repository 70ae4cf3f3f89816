using System.Text;
using Alimentar.Data;
using Alimentar.Data.Text;
using Alimentar.Hashing;
using Alimentar.Quality.Accumulators;

namespace Alimentar.Quality;

/// <summary>Progress of a scan, reported after each part.</summary>
public readonly record struct ScanProgress(long RowsRead, int PartsDone, long? DeclaredRows);

/// <summary>
/// One streaming pass: parts are decoded and scanned column by column on all cores, a window of parts at a
/// time (memory stays bounded by the window), then folded into the dataset's statistics in row order.
/// </summary>
public sealed class DatasetScanner(QualityOptions options)
{
    public DatasetStats Scan(Dataset dataset)
    {
        var profile = options.Profile;
        var plans = ColumnPlan.Build(dataset.Columns, profile, options.LabelColumn);
        var columnCount = plans.Count;
        var stats = new DatasetStats
        {
            Files = dataset.Files,
            Columns = plans,
            ColumnStats = plans.Select(_ => new ColumnStats()).ToArray(),
            DeclaredRows = dataset.DeclaredRows,
        };

        var required = plans.Select(p => !p.IsNullable && p.InRowHash).ToArray();
        var augmented = plans.FirstOrDefault(p => p.Name == ColumnPlan.AugmentedColumn && p.Info.Kind == ColumnKind.Boolean)?.Index;
        var keyColumns = plans.Where(p => p.IsKey).Select(p => p.Index).ToArray();
        var keys = keyColumns.Length > 0 ? new HashSet<UInt128>() : null;
        var degenerate = profile.DegeneratePair is { } pair
            ? (plans.FirstOrDefault(p => p.Name == pair.Source)?.Index, plans.FirstOrDefault(p => p.Name == pair.Target)?.Index)
            : (null, null);
        var nearColumns = NearDuplicateColumns(plans, profile);
        var near = options.NearDuplicates && nearColumns.Length > 0
            ? new NearDuplicateDetector(profile.NearDuplicateThreshold, nearColumns.All(c => plans[c].IsCode))
            : null;
        var keepBatches = near is not null;
        var capacity = (int)Math.Clamp(dataset.DeclaredRows ?? 65536, 1024, 1 << 26);
        var exact = new RowHashIndex(capacity);
        var normalized = plans.Any(p => p.Info.Kind == ColumnKind.String) ? new RowHashIndex(capacity) : null;
        var workers = Math.Max(1, options.MaxDegreeOfParallelism ?? Environment.ProcessorCount);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = options.CancellationToken };

        long offset = 0;
        var partsDone = 0;
        using var parts = dataset.Parts().GetEnumerator();
        while (true)
        {
            var window = new List<DataPart>(workers);
            while (window.Count < workers && parts.MoveNext())
            {
                window.Add(parts.Current);
            }

            if (window.Count == 0)
            {
                break;
            }

            var scans = new ColumnScan[window.Count][];
            for (var p = 0; p < window.Count; p++)
            {
                scans[p] = new ColumnScan[columnCount];
            }

            try
            {
                Parallel.For(0, window.Count * columnCount, parallel, k =>
                {
                    var (p, c) = (k / columnCount, k % columnCount);
                    scans[p][c] = ColumnScanner.Scan(window[p].ReadColumn(c), plans[c], keepBatches);
                });
            }
            catch (AggregateException ex) when (ex.InnerExceptions.FirstOrDefault(e => e is DataReadException) is { } inner)
            {
                throw inner;
            }

            for (var p = 0; p < window.Count; p++)
            {
                var part = scans[p];
                var rows = columnCount == 0 ? 0 : part[0].CellHashes.Length;
                for (var c = 0; c < columnCount; c++)
                {
                    if (part[c].CellHashes.Length != rows)
                    {
                        throw new DataReadException(dataset.Files[0], $"columns '{plans[0].Name}' and '{plans[c].Name}' decode to different row counts ({rows} vs {part[c].CellHashes.Length}) in part {window[p].Index}");
                    }

                    stats.ColumnStats[c].Merge(part[c].Stats, offset);
                }

                var augmentedValues = augmented is { } a ? part[a].Batch as BooleanColumnBatch : null;
                if (augmented is { } aIndex && augmentedValues is null)
                {
                    augmentedValues = (BooleanColumnBatch)window[p].ReadColumn(aIndex);
                }

                for (var r = 0; r < rows; r++)
                {
                    var global = offset + r;
                    var acc = RowHash.Seed;
                    var nacc = RowHash.Seed;
                    var complete = true;
                    var empty = true;
                    for (var c = 0; c < columnCount; c++)
                    {
                        var scan = part[c];
                        if (!plans[c].InRowHash)
                        {
                            continue;
                        }

                        acc = RowHash.Combine(acc, scan.CellHashes[r]);
                        nacc = RowHash.Combine(nacc, (scan.NormalizedHashes ?? scan.CellHashes)[r]);
                        if (scan.Missing[r])
                        {
                            complete &= !required[c];
                        }
                        else
                        {
                            empty = false;
                        }
                    }

                    if (complete)
                    {
                        stats.CompleteRows++;
                    }
                    else
                    {
                        stats.IncompleteRowSamples.Add(global);
                    }

                    if (empty && columnCount > 0)
                    {
                        stats.EmptyRows++;
                        stats.EmptyRowSamples.Add(global);
                    }

                    if (keys is not null)
                    {
                        var key = RowHash.Seed;
                        var keyPresent = true;
                        foreach (var c in keyColumns)
                        {
                            keyPresent &= !part[c].Missing[r];
                            key = RowHash.Combine(key, part[c].CellHashes[r]);
                        }

                        if (keyPresent)
                        {
                            stats.KeyRows++;
                            keys.Add(key);
                        }
                    }

                    if (degenerate is ({ } s, { } t) && !part[s].Missing[r] && !part[t].Missing[r]
                        && (part[s].NormalizedHashes ?? part[s].CellHashes)[r] == (part[t].NormalizedHashes ?? part[t].CellHashes)[r])
                    {
                        stats.DegeneratePairs++;
                        stats.DegenerateSamples.Add(global);
                    }

                    if (augmentedValues is not null && !augmentedValues.IsNull(r) && augmentedValues.Values[r])
                    {
                        stats.AugmentedRows++;
                        continue;
                    }

                    var first = exact.AddOrGetFirst(acc, global);
                    if (first >= 0)
                    {
                        stats.ExactDuplicates++;
                        if (stats.DuplicateSamples.Count < SampleRows.Limit)
                        {
                            stats.DuplicateSamples.Add((global, first));
                        }
                    }

                    if (normalized is not null)
                    {
                        var nfirst = normalized.AddOrGetFirst(nacc, global);
                        if (nfirst >= 0)
                        {
                            stats.NormalizedDuplicates++;
                            if (first < 0 && stats.NormalizedDuplicateSamples.Count < SampleRows.Limit)
                            {
                                stats.NormalizedDuplicateSamples.Add((global, nfirst));
                            }
                        }
                    }
                    else
                    {
                        stats.NormalizedDuplicates = stats.ExactDuplicates;
                    }

                    if (near is not null && first < 0)
                    {
                        near.Add(global, RowText(part, nearColumns, r));
                    }
                }

                offset += rows;
                partsDone++;
                window[p].Release();
                options.Progress?.Report(new ScanProgress(offset, partsDone, dataset.DeclaredRows));
            }

            // A window's column buffers are large-object-heap arrays that are dead now; collecting here keeps the
            // peak at about one window instead of letting several windows' garbage pile up before a gen-2 GC.
            scans = null!;
            window.Clear();
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: false);
        }

        stats.Rows = offset;
        stats.DistinctKeys = keys?.Count ?? 0;
        stats.NearDuplicates = near?.Compute();
        stats.JsonShapes.AddRange(dataset.Sources.OfType<JsonDataSource>().Select(s => s.Shapes));
        return stats;
    }

    private static int[] NearDuplicateColumns(IReadOnlyList<ColumnPlan> plans, Profiles.QualityProfile profile)
    {
        var named = profile.NearDuplicateColumns.Count > 0
            ? plans.Where(p => profile.NearDuplicateColumns.Contains(p.Name))
            : plans.Where(p => p.IsText || p.IsCode);
        var chosen = named.Where(p => p.Info.Kind == ColumnKind.String).Select(p => p.Index).ToArray();
        return chosen.Length > 0 ? chosen : plans.Where(p => p.Info.Kind == ColumnKind.String && !p.IsLabel).Select(p => p.Index).ToArray();
    }

    private static string RowText(ColumnScan[] part, int[] columns, int row)
    {
        var sb = new StringBuilder();
        foreach (var c in columns)
        {
            if (part[c].Batch is BytesColumnBatch b && !b.IsNull(row))
            {
                if (sb.Length > 0)
                {
                    sb.Append('\n');
                }

                sb.Append(Encoding.UTF8.GetString(b.Value(row)));
            }
        }

        return sb.ToString();
    }
}
