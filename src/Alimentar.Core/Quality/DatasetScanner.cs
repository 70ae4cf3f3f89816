using System.Text;
using Alimentar.Data;
using Alimentar.Data.Text;
using Alimentar.Hashing;
using Alimentar.Quality.Accumulators;
using Alimentar.Quality.Profiles;

namespace Alimentar.Quality;

/// <summary>Progress of a scan, reported after each part.</summary>
public readonly record struct ScanProgress(long RowsRead, int PartsDone, long? DeclaredRows);

/// <summary>
/// One streaming pass: parts are decoded and scanned column by column on all cores, a window of parts at a
/// time (memory stays bounded by the window), then folded into the dataset's statistics in row order.
/// </summary>
public sealed class DatasetScanner(QualityOptions options)
{
    /// <summary>From this many columns on, columns are scanned in place (see <see cref="QualityOptions.ScanInPlace"/>).</summary>
    internal const int InPlaceColumns = 512;

    private static readonly bool Trace = Environment.GetEnvironmentVariable("ALIMENTAR_TRACE") == "1";

    // A column named by --label-column or by the user's profile file that the data lacks would switch its checks off
    // without a word (the label checks vanish and the grade goes up): refused with the closest name. Required columns
    // are left to the S5 gate, which reports missing ones as a critical failure.
    private void CheckNamedColumns(Dataset dataset, QualityProfile profile)
    {
        var names = dataset.Columns.Select(c => c.Name).ToList();
        var listed = string.Join(", ", names.Take(12).Select(n => $"'{n}'")) + (names.Count > 12 ? $" and {names.Count - 12:N0} more" : string.Empty);
        string Hint(string name) => Data.ColumnNames.Closest(names, name) is { } closest ? $" (did you mean '{closest}'? columns: {listed})" : $" (columns: {listed})";
        if (options.LabelColumn is { } label && !names.Contains(label, StringComparer.Ordinal))
        {
            throw new ArgumentException($"--label-column '{label}': the dataset has no such column{Hint(label)}");
        }

        foreach (var (field, column) in profile.DeclaredColumns.Where(d => d.Field != "columns.required"))
        {
            if (!names.Contains(column, StringComparer.Ordinal))
            {
                // Columns named by a flag (--nullable, --key, --text-columns) are the flag's error, not the profile's.
                throw field.StartsWith("--", StringComparison.Ordinal)
                    ? new ArgumentException($"{field} '{column}': the dataset has no such column{Hint(column)}")
                    : new ProfileException($"profile '{profile.Name}': {field} names '{column}', which the dataset does not have{Hint(column)}");
            }
        }
    }

    /// <summary>
    /// With the default null tokens, reads the first rows of every text column to decide what NA, None, nil and
    /// '-' mean there (<see cref="Semantics.AmbiguousNullTokens"/>); null when the profile names its own tokens,
    /// which then count as missing everywhere.
    /// </summary>
    private static Semantics.AmbiguousTokenReading?[]? ReadAmbiguousTokens(Dataset dataset, OpeningRows opening, QualityProfile profile, int workers)
    {
        if (!ReferenceEquals(profile.NullTokens, QualityDefaults.NullTokens) || dataset.Columns.Count == 0 || opening.IsEmpty)
        {
            return null;
        }

        var tokens = new Semantics.NullTokenSet(profile.NullTokens);
        var readings = new Semantics.AmbiguousTokenReading?[dataset.Columns.Count];

        // In parallel for wide tables (parts are read by column from several threads in the scan too): at 100,000
        // columns this look at the opening rows took half a second before the scan could start.
        void Read(int c)
        {
            if (dataset.Columns[c].Kind is ColumnKind.String or ColumnKind.Binary)
            {
                readings[c] = opening.Look(c, sample => Semantics.AmbiguousNullTokens.Read(sample, tokens));
            }
        }

        if (readings.Length < InPlaceColumns || workers == 1)
        {
            for (var c = 0; c < readings.Length; c++)
            {
                Read(c);
            }

            return readings;
        }

        try
        {
            Parallel.For(0, readings.Length, new ParallelOptions { MaxDegreeOfParallelism = workers }, Read);
        }
        catch (AggregateException ex)
        {
            // A damaged column is reported as the scan reports it: its DataReadException, not a wrapper.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerExceptions[0]);
        }

        return readings;
    }

    public DatasetStats Scan(Dataset dataset)
    {
        var profile = options.Profile;
        CheckNamedColumns(dataset, profile);

        // The column that keeps a ragged CSV's extra fields is empty wherever a record had none: expected, not missing
        // (the ragged-rows finding says what happened; "mostly empty, drop it" would be advice to lose data).
        var extra = dataset.Sources.OfType<CsvDataSource>().Select(s => s.ExtraFieldsColumn).OfType<string>().Except(profile.NullableColumns).ToList();
        if (extra.Count > 0)
        {
            // Its cells are raw CSV text (separators and spaces as in the file), constant where few records had extras.
            profile = profile with
            {
                NullableColumns = [.. profile.NullableColumns, .. extra],
                ExpectedConstantColumns = [.. profile.ExpectedConstantColumns, .. extra],
                WhitespaceOffColumns = [.. profile.WhitespaceOffColumns, .. extra],
            };
        }

        var opening = new OpeningRows(dataset);
        var plans = ColumnPlan.Build(dataset.Columns, profile, options.LabelColumn, ReadAmbiguousTokens(dataset, opening, profile, Math.Max(1, options.MaxDegreeOfParallelism ?? Environment.ProcessorCount)));
        var columnCount = plans.Count;
        var stats = new DatasetStats
        {
            Files = dataset.Files,
            Columns = plans,
            ColumnStats = plans.Select(_ => ColumnStats.WithSampleCapacity(QuantileSketch.CapacityFor(plans.Count))).ToArray(),
            DeclaredRows = dataset.DeclaredRows,
        };

        var required = plans.Select(p => !p.IsNullable && p.InRowHash).ToArray();
        var augmented = plans.FirstOrDefault(p => p.Name == ColumnPlan.AugmentedColumn && p.Info.Kind == ColumnKind.Boolean)?.Index;
        var keyColumns = plans.Where(p => p.IsKey).Select(p => p.Index).ToArray();
        var keys = keyColumns.Length > 0 ? new HashSet<UInt128>() : null;
        var degenerate = profile.DegeneratePair is { } pair
            ? (plans.FirstOrDefault(p => p.Name == pair.Source)?.Index, plans.FirstOrDefault(p => p.Name == pair.Target)?.Index)
            : (null, null);
        var nearColumns = options.NearDuplicates ? NearDuplicateColumns(opening, plans, profile) : [];
        var near = options.NearDuplicates && nearColumns.Length > 0
            ? new NearDuplicateDetector(profile.NearDuplicateThreshold, nearColumns.All(c => plans[c].IsCode))
            : null;
        var keepBatches = near is not null;
        var workers = Math.Max(1, options.MaxDegreeOfParallelism ?? Environment.ProcessorCount);
        // Text formats declare no row count; sizing for a few million rows costs little (blocks are taken on demand)
        // and keeps partitions cache-sized for inputs that large.
        using var exact = new DuplicateFinder(dataset.DeclaredRows ?? 4_000_000, populate: dataset.DeclaredRows is not null);
        DuplicateFinder? normalized = null;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = options.CancellationToken };
        var hashedColumns = plans.Where(p => p.InRowHash).Select(p => p.Index).ToArray();
        var weights = RowHash.Weights(hashedColumns.Length);
        var request = options.Verdicts;
        var incompleteColumns = request?.IncompleteColumns?.Select(name => plans.FirstOrDefault(p => p.Name == name)?.Index
            ?? throw new ArgumentException($"no column named '{name}'")).ToArray();
        var incompleteRows = request is null ? null : new RowSet();
        var weightOf = hashedColumns.Select((column, k) => (column, k)).ToDictionary(x => x.column, x => weights[x.k]);
        var roles = plans.Select(p => new RowRole(
            Fold: null,
            Weight: weightOf.GetValueOrDefault(p.Index),
            Required: required[p.Index],
            KeepRows: p.IsKey || p.Index == degenerate.Item1 || p.Index == degenerate.Item2
                || (incompleteColumns?.Contains(p.Index) ?? false))).ToArray();

        long offset = 0;
        var partsDone = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        if (Trace)
        {
            Console.Error.WriteLine($"[trace] scan starts {SinceProcessStart():0.000} s after process start");
        }

        var combining = TimeSpan.Zero;
        var merging = TimeSpan.Zero;
        var appending = TimeSpan.Zero;
        foreach (var (partSource, part, fold) in ScanInOrder(dataset, plans, roles, hashedColumns.Length, stats.ColumnStats, workers, keepBatches))
        {
            var combineStart = clock.Elapsed;
            {
                var rows = columnCount == 0 ? 0 : part[0].Rows;
                for (var c = 0; c < columnCount; c++)
                {
                    if (part[c].Rows != rows)
                    {
                        throw new DataReadException(dataset.Files[0], $"columns '{plans[0].Name}' and '{plans[c].Name}' decode to different row counts ({rows} vs {part[c].Rows}) in part {partSource.Index}");
                    }

                    if (part[c].OwnsStats)
                    {
                        stats.ColumnStats[c].Merge(part[c].Stats, offset);
                    }
                }

                merging += clock.Elapsed - combineStart;
                var (complete, empty) = fold.Finish(rows, hashedColumns.Length > 0);
                if (fold.HasNormalized && normalized is null)
                {
                    // Until now every row's normalized identity equalled its raw identity.
                    normalized = exact.Clone();
                }

                stats.CompleteRows += complete;
                stats.EmptyRows += empty;

                if (incompleteRows is not null)
                {
                    RecordIncompleteRows(incompleteRows, offset, rows, incompleteColumns is null ? fold.IsIncomplete : r => incompleteColumns.Any(c => part[c].Missing![r]));
                }

                var augmentedValues = augmented is { } aIndex ? partSource.ReadColumn(aIndex) as BooleanColumnBatch : null;
                bool IsAugmented(int r) => augmentedValues is not null && !augmentedValues.IsNull(r) && augmentedValues.Values[r];

                // Sample rows need row order. Look only as long as this part still has samples to give: the counts
                // above say how many incomplete and empty rows it holds, so a clean part costs nothing here.
                var incompleteToFind = Math.Min(SampleRows.Limit - stats.IncompleteRowSamples.Rows.Count, rows - complete);
                var emptyToFind = Math.Min(SampleRows.Limit - stats.EmptyRowSamples.Rows.Count, empty);
                for (var r = 0; r < rows && (incompleteToFind > 0 || emptyToFind > 0); r++)
                {
                    var isComplete = !fold.IsIncomplete(r);
                    var isEmpty = fold.IsEmpty(r);
                    if (!isComplete && incompleteToFind > 0)
                    {
                        stats.IncompleteRowSamples.Add(offset + r);
                        incompleteToFind--;
                    }

                    if (isEmpty && hashedColumns.Length > 0 && emptyToFind > 0)
                    {
                        stats.EmptyRowSamples.Add(offset + r);
                        emptyToFind--;
                    }
                }

                if (keys is not null || degenerate is ({ }, { }) || augmentedValues is not null)
                {
                    for (var r = 0; r < rows; r++)
                    {
                        if (keys is not null)
                        {
                            var key = RowHash.Seed;
                            var keyPresent = true;
                            foreach (var c in keyColumns)
                            {
                                keyPresent &= !part[c].Missing![r];
                                key = RowHash.Combine(key, part[c].CellHashes![r]);
                            }

                            if (keyPresent)
                            {
                                stats.KeyRows++;
                                keys.Add(key);
                            }
                        }

                        if (degenerate is ({ } s, { } t) && !part[s].Missing![r] && !part[t].Missing![r]
                            && (part[s].NormalizedHashes ?? part[s].CellHashes!)[r] == (part[t].NormalizedHashes ?? part[t].CellHashes!)[r])
                        {
                            stats.DegeneratePairs++;
                            stats.DegenerateSamples.Add(offset + r);
                        }

                        if (IsAugmented(r))
                        {
                            stats.AugmentedRows++;
                        }
                    }
                }

                // Row identities are appended in row order (so "first" is the earliest row) and matched after the scan.
                var skip = augmentedValues is null ? null : (Func<int, bool>)IsAugmented;
                var appendStart = clock.Elapsed;
                exact.Append(fold.Hashes(rows), offset, skip);
                options.RowIdentities?.Invoke(offset, fold.Hashes(rows).ToArray());
                appending += clock.Elapsed - appendStart;
                normalized?.Append(fold.NormalizedHashes(rows), offset, skip);
                if (near is not null)
                {
                    // Exact duplicates are left out when the clusters are computed.
                    near.AddRange(offset, rows, r => RowText(part, nearColumns, r), augmentedValues is null ? null : IsAugmented, workers);
                }

                fold.Dispose();
                foreach (var scan in part)
                {
                    scan.Return();
                }

                offset += rows;
                partsDone++;
                partSource.Release();
                options.Progress?.Report(new ScanProgress(offset, partsDone, dataset.DeclaredRows));
            }

            combining += clock.Elapsed - combineStart;
            if (Trace)
            {
                Console.Error.WriteLine($"[trace] part {partsDone} folded at {clock.Elapsed.TotalSeconds:0.000} s (fold took {(clock.Elapsed - combineStart).TotalSeconds:0.000} s)");
            }
        }

        if (Trace)
        {
            Console.Error.WriteLine($"[trace] scan finished at {clock.Elapsed.TotalSeconds:0.000} s, folding took {combining.TotalSeconds:0.000} s in all (merging statistics {merging.TotalSeconds:0.000} s, appending row identities {appending.TotalSeconds:0.000} s), {SinceProcessStart():0.000} s after process start");
        }

        // Verdicts use the normalized identity only when normalization changed some value; until then it is the raw one.
        var allPairs = request?.DuplicatePairs == true;
        var normalizedIdentity = request?.NormalizedIdentity == true && normalized is not null;
        var exactResult = exact.Finish(allPairs && !normalizedIdentity ? int.MaxValue : SampleRows.Limit, null, parallel);
        stats.ExactDuplicates = exactResult.Duplicates;
        stats.DuplicateSamples.AddRange(exactResult.Samples.Take(SampleRows.Limit));
        var identity = exactResult;
        if (normalized is not null)
        {
            // A normalized-only duplicate sample is a row that is the first of its raw identity.
            bool NormalizedOnly(long row) => !exactResult.Rows.Contains(row);
            var normalizedResult = allPairs && normalizedIdentity
                ? normalized.Finish(int.MaxValue, null, parallel)
                : normalized.Finish(SampleRows.Limit, NormalizedOnly, parallel);
            stats.NormalizedDuplicates = normalizedResult.Duplicates;
            stats.NormalizedDuplicateSamples.AddRange(normalizedResult.Samples.Where(s => NormalizedOnly(s.Row)).Take(SampleRows.Limit));
            normalized.Dispose();
            if (normalizedIdentity)
            {
                identity = normalizedResult;
            }
        }
        else
        {
            stats.NormalizedDuplicates = stats.ExactDuplicates;
        }

        if (Trace)
        {
            Console.Error.WriteLine($"[trace] duplicates matched at {clock.Elapsed.TotalSeconds:0.000} s");
        }

        stats.Rows = offset;
        stats.DistinctKeys = keys?.Count ?? 0;
        var excludeIncomplete = request?.NearExcludesIncomplete == true ? incompleteRows : null;
        stats.NearDuplicateColumns = options.NearDuplicates ? nearColumns.Select(c => plans[c].Name).ToList() : null;
        stats.NearDuplicates = near?.Compute(row => identity.Rows.Contains(row) || (excludeIncomplete?.Contains(row) ?? false));
        if (request is not null)
        {
            stats.Verdicts = new RowVerdicts
            {
                Rows = offset,
                Incomplete = incompleteRows!,
                Duplicates = identity.Rows,
                DuplicatePairs = allPairs ? identity.Samples : null,
                Near = stats.NearDuplicates,
            };
        }

        stats.JsonShapes.AddRange(dataset.Sources.OfType<JsonDataSource>().Select(s => s.Shapes));
        stats.RenamedHeaders.AddRange(dataset.Sources.OfType<CsvDataSource>().SelectMany(s => s.RenamedHeaders.Select(r => (s.Path, r.Original, r.Position + 1, r.ReadAs))));
        stats.RaggedCsv.AddRange(dataset.Sources.OfType<CsvDataSource>().Where(s => s.RaggedRows > 0).Select(s => (s.Path, s.RaggedRows, (IReadOnlyList<(long, long, int)>)[.. s.RaggedSamples], s.HeaderFields, s.ExtraFieldsColumn)));
        return stats;
    }

    /// <summary>
    /// Decodes and scans columns of upcoming parts on <paramref name="workers"/> threads while the caller folds
    /// finished parts in row order. At most workers + 1 parts are in flight, which bounds memory; there is no
    /// barrier between parts, so a slow column of one part does not idle the other cores.
    /// </summary>
    private IEnumerable<(DataPart Part, ColumnScan[] Scans, PartRowFold Fold)> ScanInOrder(Dataset dataset, IReadOnlyList<ColumnPlan> plans, RowRole[] roles, int hashedColumns, ColumnStats[] whole, int workers, bool keepBatches)
    {
        var columnCount = plans.Count;
        using var foldMemory = new FoldMemory();

        // Longest first: text and nested columns cost several times a numeric one, so starting them first keeps
        // both cores busy until the end of each part instead of leaving one long column running alone.
        var costOrder = Enumerable.Range(0, columnCount)
            .OrderByDescending(c => plans[c].Info.Kind switch { ColumnKind.String => 3, ColumnKind.Binary or ColumnKind.Nested => 2, _ => 1 })
            .ThenBy(c => c)
            .ToArray();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(options.CancellationToken);
        // A part in flight holds statistics for every column (kilobytes each): for wide tables, one part is scanned
        // (its columns in parallel) while the next is read, instead of one per worker.
        using var slots = new SemaphoreSlim(columnCount > 4096 ? 2 : workers + 1);

        // Wide tables are scanned in place: each column's parts go, in row order, straight into the dataset's
        // statistics. A part of 100,000 columns holds a few dozen rows, and making and merging statistics for each of
        // its columns cost several times the scan (and most of the memory). A column's next part waits for its
        // previous one; parts are queued in order, so that wait is the tail of one column's scan.
        var inPlace = options.ScanInPlace ?? columnCount >= InPlaceColumns;
        var scanners = inPlace ? new ColumnScanner?[columnCount] : null;
        var nextPart = inPlace ? new int[columnCount] : null;
        var queue = System.Threading.Channels.Channel.CreateUnbounded<(PartState State, int From, int Count)>();

        // Queued a run of columns at a time when they are many: an item per column was 1.2 million channel items
        // for a table of 100,000 columns in twelve parts.
        var run = inPlace ? 64 : 1;
        var states = new List<PartState>();
        var added = new SemaphoreSlim(0);
        Exception? failure = null;
        var feeder = Task.Run(async () =>
        {
            try
            {
                // A slot first, then the part: read ahead of its slot, a part of a wide table (tens of MB) waited in memory.
                using var parts = dataset.Parts().GetEnumerator();
                while (true)
                {
                    await slots.WaitAsync(stop.Token);
                    if (!parts.MoveNext())
                    {
                        break;
                    }

                    var part = parts.Current;
                    var state = new PartState(part, states.Count, columnCount, new PartRowFold(hashedColumns, part.RowCountHint, foldMemory));
                    lock (states)
                    {
                        states.Add(state);
                    }

                    added.Release();
                    if (columnCount == 0)
                    {
                        state.Done.TrySetResult();
                    }

                    for (var k = 0; k < costOrder.Length; k += run)
                    {
                        queue.Writer.TryWrite((state, k, Math.Min(run, costOrder.Length - k)));
                    }
                }
            }
            finally
            {
                queue.Writer.TryComplete();
                added.Release();
            }
        });
        var scanTasks = Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            await foreach (var (state, from, count) in queue.Reader.ReadAllAsync(stop.Token))
            {
                for (var k = from; k < from + count; k++)
                {
                    var c = costOrder[k];
                    try
                    {
                        var role = plans[c].InRowHash ? roles[c] with { Fold = state.Fold } : roles[c];
                        var colStart = Trace ? SinceProcessStart() : 0;
                        // Whole columns when a later step needs the values (near duplicates), else chunks in reused buffers.
                        var batch = keepBatches ? state.Part.ReadColumn(c) : null;
                        ColumnScanner scanner;
                        if (scanners is not null)
                        {
                            var turn = new SpinWait();
                            while (Volatile.Read(ref nextPart![c]) != state.Sequence)
                            {
                                stop.Token.ThrowIfCancellationRequested();
                                turn.SpinOnce();
                            }

                            scanner = scanners[c] ??= ColumnScanner.InPlace(plans[c], whole[c]);
                            scanner.BeginPart(role, state.Part.RowCountHint);
                        }
                        else
                        {
                            scanner = new ColumnScanner(plans[c], batch?.Length ?? state.Part.RowCountHint, role, whole[c], state.Part.Index);
                        }

                        if (batch is not null)
                        {
                            scanner.Add(batch);
                        }
                        else
                        {
                            foreach (var chunk in state.Part.ReadColumnChunks(c))
                            {
                                stop.Token.ThrowIfCancellationRequested();
                                scanner.Add(chunk);
                            }
                        }

                        state.Scans[c] = scanner.Build(batch);
                        if (scanners is not null)
                        {
                            Volatile.Write(ref nextPart![c], state.Sequence + 1);
                        }

                        if (Trace)
                        {
                            Console.Error.WriteLine($"[trace] part {state.Part.Index} column {c} {colStart:0.000} -> {SinceProcessStart():0.000}");
                        }

                        if (Interlocked.Decrement(ref state.Remaining) == 0)
                        {
                            state.Done.TrySetResult();
                        }
                    }
                    catch (Exception ex)
                    {
                        if (!(ex is OperationCanceledException && stop.IsCancellationRequested))
                        {
                            Interlocked.CompareExchange(ref failure, ex, null);
                        }

                        state.Done.TrySetException(ex);
                        stop.Cancel();
                        return;
                    }
                }
            }
        })).ToArray();

        try
        {
            for (var i = 0; ; i++)
            {
                PartState? next = null;
                while (next is null)
                {
                    lock (states)
                    {
                        if (i < states.Count)
                        {
                            next = states[i];
                            break;
                        }
                    }

                    if (feeder.IsCompleted)
                    {
                        lock (states)
                        {
                            if (i < states.Count)
                            {
                                continue;
                            }
                        }

                        feeder.GetAwaiter().GetResult(); // surfaces a reader's error (e.g. bad CSV)
                        yield break;
                    }

                    added.Wait(TimeSpan.FromMilliseconds(50));
                }

                // A blocking wait, not WhenAny(...).GetResult(): WhenAny's completion is a continuation queued to the
                // thread pool, whose threads are all busy scanning, so the fold waited (up to a third of a second)
                // for a scanner to run dry, and the parts in flight each kept their row-fold arrays meanwhile.
                Task.WaitAny([next.Done.Task, feeder.IsFaulted ? feeder : Task.Delay(Timeout.Infinite, stop.Token)]);
                if (Volatile.Read(ref failure) is { } error)
                {
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
                }

                if (feeder.IsFaulted)
                {
                    feeder.GetAwaiter().GetResult();
                }

                options.CancellationToken.ThrowIfCancellationRequested();

                next.Done.Task.GetAwaiter().GetResult(); // rethrows a column's DataReadException as is
                yield return (next.Part, next.Scans, next.Fold);
                lock (states)
                {
                    states[i] = null!;
                }

                slots.Release();
            }
        }
        finally
        {
            stop.Cancel();
            try
            {
                Task.WaitAll([feeder, .. scanTasks]);
            }
            catch (AggregateException)
            {
                // Already surfaced (or cancelled on purpose).
            }
        }
    }

    private sealed class PartState(DataPart part, int sequence, int columns, PartRowFold fold)
    {
        public DataPart Part { get; } = part;

        /// <summary>The part's place in the dataset (0 for the first part).</summary>
        public int Sequence { get; } = sequence;

        public PartRowFold Fold { get; } = fold;

        public ColumnScan[] Scans { get; } = new ColumnScan[columns];

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

#pragma warning disable SA1401 // Interlocked needs a field
        public int Remaining = columns;
#pragma warning restore SA1401
    }

    private static void RecordIncompleteRows(RowSet rows, long offset, int count, Func<int, bool> incomplete)
    {
        for (var r = 0; r < count; r++)
        {
            if (incomplete(r))
            {
                rows.Add(offset + r);
            }
        }
    }

    private static double SinceProcessStart() => (DateTime.Now - System.Diagnostics.Process.GetCurrentProcess().StartTime).TotalSeconds;

    /// <summary>
    /// The columns near duplicates are compared on: those the profile names, else the text and code columns by role,
    /// else string columns whose first rows read as prose (see <see cref="Semantics.ProseColumns"/>). Never categorical
    /// or numeric columns: rows of a table of codes and numbers that share most fields are not near copies.
    /// </summary>
    private static int[] NearDuplicateColumns(OpeningRows opening, IReadOnlyList<ColumnPlan> plans, Profiles.QualityProfile profile)
    {
        var named = profile.NearDuplicateColumns.Count > 0
            ? plans.Where(p => profile.NearDuplicateColumns.Contains(p.Name))
            : plans.Where(p => p.IsText || p.IsCode);
        var chosen = named.Where(p => p.Info.Kind == ColumnKind.String).Select(p => p.Index).ToArray();
        if (chosen.Length > 0 || profile.NearDuplicateColumns.Count > 0)
        {
            return chosen;
        }

        return plans
            .Where(p => p.Info.Kind == ColumnKind.String && !p.IsLabel && !p.IsKey)
            .Where(p => opening.Look(p.Index, sample => sample is not null && Semantics.ProseColumns.LooksLikeProse(sample)))
            .Select(p => p.Index)
            .ToArray();
    }

    private static string RowText(ColumnScan[] part, int[] columns, int row)
    {
        if (columns.Length == 1)
        {
            return part[columns[0]].Batch is BytesColumnBatch one && !one.IsNull(row) ? Encoding.UTF8.GetString(one.Value(row)) : string.Empty;
        }

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
