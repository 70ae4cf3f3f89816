using System.Text.Json;
using Alimentar.Data;
using Alimentar.Data.Lossless;
using Alimentar.Data.Writing;
using Alimentar.Quality;
using Alimentar.Semantics;
using Apache.Arrow;

namespace Alimentar.Transforms.Clean;

/// <summary>
/// <c>alimentar clean</c> as a library call. The scanner decides which rows are incomplete and which duplicate an
/// earlier row (the same definitions the score uses); this class only acts on those verdicts. Values travel on the
/// lossless Arrow path, so every column a step does not touch is written exactly as it was read.
/// </summary>
public static class DatasetCleaner
{
    private static readonly bool Trace = Environment.GetEnvironmentVariable("ALIMENTAR_TRACE") == "1";

    /// <summary>Cleans the files, folders or globs in <paramref name="inputs"/> (one dataset) into <see cref="CleanOptions.Output"/>.</summary>
    /// <exception cref="DataReadException">An input cannot be read, or the output cannot be written; the message names the file.</exception>
    /// <exception cref="ArgumentException">The options are inconsistent (an unknown column, an output that is an input).</exception>
    public static CleanResult Clean(IEnumerable<string> inputs, CleanOptions options)
    {
        var files = DatasetInputs.Expand(inputs);
        var plan = OutputPlan.For(files, options.Output);
        var workDir = Path.Combine(plan.WorkParent, $".alimentar-clean-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(workDir);
        try
        {
            return Run(files, plan, options, workDir);
        }
        finally
        {
            try
            {
                Directory.Delete(workDir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    public static CleanResult Clean(string input, CleanOptions options) => Clean([input], options);

    private static void TracePhase(string phase)
    {
        if (Trace)
        {
            using var process = System.Diagnostics.Process.GetCurrentProcess();
            Console.Error.WriteLine($"[trace] clean: {phase} at {(DateTime.Now - process.StartTime).TotalSeconds:0.000} s, peak {process.PeakWorkingSet64 >> 20} MB");
        }
    }

    public static Task<CleanResult> CleanAsync(IEnumerable<string> inputs, CleanOptions options) =>
        Task.Run(() => Clean(inputs, options), options.CancellationToken);

    private static CleanResult Run(IReadOnlyList<string> files, OutputPlan plan, CleanOptions options, string workDir)
    {
        var profile = options.Profile;
        if (options.Threshold is { } threshold)
        {
            if (threshold is <= 0 or > 1)
            {
                throw new ArgumentException("--threshold must be in (0, 1]");
            }

            profile = profile with { NearDuplicateThreshold = threshold };
        }

        if (options.NearDuplicates && options.Columns is { Count: > 0 } nearColumns)
        {
            profile = profile with { NearDuplicateColumns = nearColumns };
        }

        var dedupe = options.Deduplicate || options.NearDuplicates;
        var request = new RowVerdictRequest
        {
            IncompleteColumns = options.RemoveNulls && options.Columns is { Count: > 0 } ? options.Columns : null,
            NormalizedIdentity = options.NormalizeText,
            DuplicatePairs = options.RemovedPath is not null,
            NearExcludesIncomplete = options.RemoveNulls,
        };
        var scoring = options.Scoring with { Profile = profile, NearDuplicates = options.NearDuplicates };

        // Before: the dataset as the user has it. Without column steps on a columnar input the same pass also
        // gives the row verdicts; otherwise they come from a pass over exactly the values that will be written.
        var isColumnar = files.All(f => FormatDetector.Detect(f) is DataFormat.Parquet or DataFormat.ArrowIpc);
        var columnSteps = options.DropColumns.Count > 0 || options.ValidateTypes || options.NormalizeText;
        var staged = columnSteps || !isColumnar;
        DatasetStats beforeStats;
        using (var dataset = Dataset.Open(files, options.Delimiter))
        {
            CheckColumns(dataset.Columns, options);
            Report(options, "scoring", 0, dataset.DeclaredRows);
            beforeStats = new DatasetScanner(scoring with { Verdicts = staged ? null : request, Progress = Relay(options, "scoring") }).Scan(dataset);
        }

        var before = QualityScorer.Score(beforeStats, scoring);
        TracePhase("scored the input");
        var changes = new List<CellChanges>();
        IReadOnlyList<string> sources = files;
        RowVerdicts verdicts;
        if (staged)
        {
            sources = Stage(files, before, beforeStats.Columns, options, workDir, changes);
            using var stagedSet = Dataset.Open(sources);
            Report(options, "finding duplicates", 0, beforeStats.Rows);
            verdicts = new DatasetScanner(scoring with { Verdicts = request, Progress = Relay(options, "finding duplicates") }).Scan(stagedSet).Verdicts!;
        }
        else
        {
            verdicts = beforeStats.Verdicts!;
        }

        var removal = new RemovalPlan(verdicts, options.RemoveNulls, dedupe, options.NearDuplicates);
        var outputs = plan.Targets(options.DryRun ? Path.Combine(workDir, "dry-run") : null);
        var removedCounts = new Dictionary<string, long> { [RemovalReasons.Missing] = 0, [RemovalReasons.Duplicate] = 0, [RemovalReasons.NearDuplicate] = 0 };
        long rowsOut = 0;
        using (var removedLog = options.RemovedPath is null ? null : new RemovedRowLog(options.RemovedPath))
        {
            RecordBatchSink? sink = null;
            var committed = new List<RecordBatchSink>();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(options.CancellationToken);
            using var queue = new System.Collections.Concurrent.BlockingCollection<FilteredBatch>(boundedCapacity: 2);

            // Reading and filtering run on their own thread, a couple of batches ahead of the writer: Parquet's
            // decoder and encoder then use both cores instead of taking turns.
            long offset = 0;
            var producer = Task.Run(
                () =>
                {
                    try
                    {
                        for (var i = 0; i < sources.Count; i++)
                        {
                            using var source = RecordBatchSources.Open(sources[i], profile.NullTokens, options.Delimiter);
                            long fileRow = 0;
                            var keep = System.Array.Empty<bool>();
                            var first = true;
                            foreach (var batch in source.Batches())
                            {
                                stop.Token.ThrowIfCancellationRequested();
                                if (keep.Length < batch.Length)
                                {
                                    keep = new bool[batch.Length];
                                }

                                for (var r = 0; r < batch.Length; r++)
                                {
                                    var reason = removal.Reason(offset + r);
                                    keep[r] = reason is null;
                                    if (reason is not null)
                                    {
                                        removedCounts[reason]++;
                                        removedLog?.Write(offset + r, files[i], fileRow + r, reason, removal.Original(offset + r), removal.Similarity(offset + r));
                                    }
                                }

                                queue.Add(new FilteredBatch(i, source.Schema, batch, RowFilter.Apply(batch, r => keep[r]), first), stop.Token);
                                first = false;
                                offset += batch.Length;
                                fileRow += batch.Length;
                            }

                            if (first)
                            {
                                queue.Add(new FilteredBatch(i, source.Schema, null, null, true), stop.Token);
                            }
                        }
                    }
                    finally
                    {
                        queue.CompleteAdding();
                    }
                },
                stop.Token);
            try
            {
                long rowsRead = 0;
                try
                {
                    foreach (var item in queue.GetConsumingEnumerable(stop.Token))
                    {
                        if (item.StartsSource && (sink is null || plan.PerShard))
                        {
                            sink = RecordBatchSink.Create(outputs[item.Source], item.Schema, options.Sink, plan.Format);
                            committed.Add(sink);
                        }
                        else if (item.StartsSource && !SameColumns(sink!.Schema, item.Schema))
                        {
                            item.Dispose();
                            throw new DataReadException(files[item.Source], $"its columns differ from {files[0]}'s; clean a folder of differing shards into a folder (--output DIR/)");
                        }

                        if (item.Filtered is { } filtered)
                        {
                            sink!.Write(filtered);
                            rowsOut += filtered.Length;
                            rowsRead += item.Batch!.Length;
                            Report(options, "writing", rowsRead, verdicts.Rows);
                        }

                        item.Dispose();
                    }
                }
                catch
                {
                    stop.Cancel();
                    throw;
                }
                finally
                {
                    // The reader's own failure is the one to report; a cancelled reader only follows the writer's.
                    try
                    {
                        producer.GetAwaiter().GetResult();
                    }
                    catch (OperationCanceledException) when (stop.IsCancellationRequested && !options.CancellationToken.IsCancellationRequested)
                    {
                    }

                    while (queue.TryTake(out var left))
                    {
                        left.Dispose();
                    }
                }

                if (offset != verdicts.Rows)
                {
                    throw new InvalidOperationException($"the writer read {offset} rows where the scan saw {verdicts.Rows}");
                }

                foreach (var written in committed)
                {
                    written.Commit();
                }

                removedLog?.Commit();
            }
            finally
            {
                foreach (var written in committed)
                {
                    written.Dispose();
                }
            }
        }

        TracePhase("wrote the output");
        Report(options, "scoring output", 0, rowsOut);
        var after = QualityChecker.Score(outputs.Distinct(), scoring with { Delimiter = null, Progress = Relay(options, "scoring output") });
        return new CleanResult
        {
            Inputs = files,
            Output = options.Output,
            Outputs = options.DryRun ? [] : outputs.Distinct().ToList(),
            DryRun = options.DryRun,
            RowsIn = verdicts.Rows,
            RowsOut = rowsOut,
            RowsRemoved = removedCounts,
            DroppedColumns = options.DropColumns,
            CellChanges = changes,
            NearDuplicateParameters = verdicts.Near?.Parameters,
            Before = before,
            After = after,
            RemovedPath = options.RemovedPath,
        };
    }

    /// <summary>Reads each input on the lossless path, applies the column steps and writes Arrow IPC files to scan and filter.</summary>
    private static List<string> Stage(IReadOnlyList<string> files, QualityReport before, IReadOnlyList<ColumnPlan> columnPlans, CleanOptions options, string workDir, List<CellChanges> changes)
    {
        var coerceTo = options.ValidateTypes
            ? before.Columns.Where(c => c.DominantClass is "integer" or "decimal" or "boolean").ToDictionary(c => c.Name, c => c.DominantClass!)
            : new Dictionary<string, string>();
        var plans = columnPlans.ToDictionary(p => p.Name);
        bool IsCode(string name) => plans.TryGetValue(name, out var p) && (p.IsCode || !p.WhitespaceChecks);
        var staged = new List<string>();
        var totals = new Dictionary<(string, string), CellChanges>();
        long rows = 0;
        for (var i = 0; i < files.Count; i++)
        {
            using var source = RecordBatchSources.Open(files[i], options.Profile.NullTokens, options.Delimiter);
            var transformer = new ColumnTransformer(source.Schema, options.DropColumns.ToHashSet(StringComparer.Ordinal), coerceTo, options.NormalizeText ? _ => true : null, IsCode, name => plans.TryGetValue(name, out var p) ? p.NullTokens : new NullTokenSet(options.Profile.NullTokens));
            var path = Path.Combine(workDir, $"{i:D5}.arrow");
            using (var sink = RecordBatchSink.Create(path, transformer.Schema, format: OutputFormat.ArrowIpc))
            {
                foreach (var batch in source.Batches())
                {
                    using (batch)
                    {
                        sink.Write(transformer.Apply(batch));
                    }

                    rows += batch.Length;
                    Report(options, "transforming", rows, before.Rows);
                }

                sink.Commit();
            }

            foreach (var change in transformer.Changes())
            {
                var key = (change.Step, change.Column);
                totals[key] = totals.TryGetValue(key, out var sum)
                    ? sum with { Changed = sum.Changed + change.Changed, MadeMissing = sum.MadeMissing + change.MadeMissing }
                    : change;
            }

            staged.Add(path);
        }

        changes.AddRange(totals.Values.OrderBy(c => c.Step == "validate-types" ? 0 : 1));
        return staged;
    }

    private static void CheckColumns(IReadOnlyList<ColumnInfo> columns, CleanOptions options)
    {
        var names = columns.Select(c => c.Name).ToList();
        foreach (var (flag, list) in new[] { ("--drop-columns", options.DropColumns), ("--columns", options.Columns ?? []) })
        {
            foreach (var name in list)
            {
                if (!names.Contains(name, StringComparer.Ordinal))
                {
                    var closest = ColumnNames.Closest(names, name);
                    throw new ArgumentException($"{flag}: no column named '{name}'{(closest is null ? string.Empty : $" (did you mean '{closest}'?)")}; columns: {string.Join(", ", names)}");
                }
            }
        }

        if (options.LabelColumn is { } label && !names.Contains(label, StringComparer.Ordinal))
        {
            throw new ArgumentException($"--label-column: no column named '{label}'; columns: {string.Join(", ", names)}");
        }

        if (options.Columns is { Count: > 0 } narrowed && options.DropColumns.Intersect(narrowed).FirstOrDefault() is { } both)
        {
            throw new ArgumentException($"column '{both}' is both dropped and named in --columns");
        }
    }

    private static bool SameColumns(Schema a, Schema b) =>
        a.FieldsList.Count == b.FieldsList.Count
        && a.FieldsList.Zip(b.FieldsList).All(p => p.First.Name == p.Second.Name && p.First.DataType.TypeId == p.Second.DataType.TypeId);

    private static void Report(CleanOptions options, string phase, long rows, long? total) =>
        options.Progress?.Report(new CleanProgress(phase, rows, total));

    private static IProgress<ScanProgress>? Relay(CleanOptions options, string phase) =>
        options.Progress is null ? null : new RelayProgress(options.Progress, phase);

    private sealed class RelayProgress(IProgress<CleanProgress> target, string phase) : IProgress<ScanProgress>
    {
        public void Report(ScanProgress value) => target.Report(new CleanProgress(phase, value.RowsRead, value.DeclaredRows));
    }

    /// <summary>Decides each row's fate from the verdicts, in the steps' order: missing first, then duplicates, then near duplicates.</summary>
    private sealed class RemovalPlan
    {
        private readonly RowVerdicts _verdicts;
        private readonly bool _nulls;
        private readonly bool _dedupe;
        private readonly Dictionary<long, (long Original, double Similarity)> _near = [];
        private readonly Dictionary<long, long>? _firsts;

        public RemovalPlan(RowVerdicts verdicts, bool nulls, bool dedupe, bool near)
        {
            _verdicts = verdicts;
            _nulls = nulls;
            _dedupe = dedupe;
            if (near && verdicts.Near is { } result)
            {
                foreach (var cluster in result.Clusters)
                {
                    for (var m = 0; m < cluster.Members.Count; m++)
                    {
                        if (cluster.Members[m] != cluster.Representative)
                        {
                            _near[cluster.Members[m]] = (cluster.Representative, cluster.Similarities?[m] ?? cluster.MinSimilarity);
                        }
                    }
                }
            }

            _firsts = verdicts.DuplicatePairs?.ToDictionary(p => p.Row, p => p.First);
        }

        public string? Reason(long row) =>
            _nulls && _verdicts.Incomplete.Contains(row) ? RemovalReasons.Missing
            : _dedupe && _verdicts.Duplicates.Contains(row) ? RemovalReasons.Duplicate
            : _near.ContainsKey(row) ? RemovalReasons.NearDuplicate
            : null;

        public long? Original(long row) =>
            _near.TryGetValue(row, out var n) && !(_dedupe && _verdicts.Duplicates.Contains(row)) ? n.Original
            : _firsts is not null && _firsts.TryGetValue(row, out var first) ? first
            : null;

        public double? Similarity(long row) =>
            Reason(row) switch
            {
                RemovalReasons.Duplicate => 1.0,
                RemovalReasons.NearDuplicate => Math.Round(_near[row].Similarity, 4),
                _ => null,
            };
    }

    /// <summary>The --removed file: one JSON object a removed row, written through a temporary file.</summary>
    private sealed class RemovedRowLog : IDisposable
    {
        private readonly string _path;
        private readonly string _temp;
        private readonly FileStream _stream;
        private readonly Utf8JsonWriter _json;
        private bool _committed;

        public RemovedRowLog(string path)
        {
            _path = Path.GetFullPath(path);
            Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
            _temp = Path.Combine(Path.GetDirectoryName(_path)!, $".{Path.GetFileName(_path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
            _stream = new FileStream(_temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
            _json = new Utf8JsonWriter(_stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        }

        public void Write(long row, string file, long fileRow, string reason, long? original, double? similarity)
        {
            _json.WriteStartObject();
            _json.WriteNumber("row", row);
            _json.WriteString("file", file);
            _json.WriteNumber("fileRow", fileRow);
            _json.WriteString("reason", reason);
            if (original is { } o)
            {
                _json.WriteNumber("duplicateOf", o);
            }

            if (similarity is { } s)
            {
                _json.WriteNumber("similarity", s);
            }

            _json.WriteEndObject();
            _json.Flush();
            _stream.WriteByte((byte)'\n');
            _json.Reset();
        }

        public void Commit()
        {
            _json.Dispose();
            _stream.Flush(flushToDisk: true);
            _stream.Dispose();
            File.Move(_temp, _path, overwrite: true);
            _committed = true;
        }

        public void Dispose()
        {
            if (_committed)
            {
                return;
            }

            _json.Dispose();
            _stream.Dispose();
            File.Delete(_temp);
        }
    }

    /// <summary>One batch on its way from the reader to the writer (or, with no batch, the start of an empty source).</summary>
    private sealed record FilteredBatch(int Source, Schema Schema, RecordBatch? Batch, RecordBatch? Filtered, bool StartsSource) : IDisposable
    {
        public void Dispose()
        {
            if (Filtered is not null && !ReferenceEquals(Filtered, Batch))
            {
                Filtered.Dispose();
            }

            Batch?.Dispose();
        }
    }
}
