using System.Globalization;
using Alimentar.Data;
using Alimentar.Data.Lossless;
using Alimentar.Data.Parquet;
using Alimentar.Data.Writing;
using Alimentar.Hub.Cards;
using Alimentar.Pipelines.Cards;
using Alimentar.Quality;
using Alimentar.Quality.Reports;
using Alimentar.Semantics;
using Alimentar.Transforms.Clean;
using Apache.Arrow;

namespace Alimentar.Pipelines.Publishing;

/// <summary>
/// The data half of <c>publish</c> (and all of <c>card generate</c>): score the inputs as one dataset, clean when
/// the score calls for it, apply the gate, and write each split as Parquet shards. The data is read once to score
/// and once to write the shards (twice more when it is cleaned: the cleaner's own pass and its score after).
/// </summary>
public static class DatasetPreparer
{
    /// <exception cref="PublishRefusedException">Below the gate, or the inputs cannot form one dataset.</exception>
    /// <exception cref="DataReadException">An input cannot be read.</exception>
    public static PreparedDataset Prepare(IEnumerable<string> inputs, PublishOptions options)
    {
        var files = DatasetInputs.Expand(inputs);
        if (options.Split is { } forced && !SplitNames.IsValid(forced))
        {
            throw new ArgumentException($"--split '{forced}': a split name is letters, digits and underscores (dots between words), e.g. train, validation, test");
        }

        var splitOf = AssignSplits(files, options.Split);
        var staging = options.StagingFolder ?? Path.Combine(Path.GetTempPath(), $"alimentar-publish-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        var prepared = (PreparedDataset?)null;
        try
        {
            prepared = PrepareIn(files, splitOf, staging, options);
            return prepared;
        }
        finally
        {
            if (prepared is null && options.StagingFolder is null && Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    private static PreparedDataset PrepareIn(IReadOnlyList<string> files, IReadOnlyDictionary<string, string> splitOf, string staging, PublishOptions options)
    {
        var scoring = new QualityOptions
        {
            Profile = options.Profile,
            LabelColumn = options.LabelColumn,
            MinGrade = options.MinGrade,
            MinScore = options.MinScore,
            Delimiter = options.Delimiter,
            MaxDegreeOfParallelism = options.MaxDegreeOfParallelism,
            CancellationToken = options.CancellationToken,
        };
        options.Log?.Invoke($"Scoring {Plural(files.Count, "file")} as one dataset (profile {options.Profile.Name})");
        var before = QualityChecker.Score(files, scoring);
        var (clean, decision) = options.Clean switch
        {
            CleanMode.Always => (true, "--clean always"),
            CleanMode.Never => (false, "--clean never"),
            _ when before.Score < PublishOptions.AutoCleanBelow => (true, $"score {ReportWriters.Score(before.Score)} is below {ReportWriters.Score(PublishOptions.AutoCleanBelow)}"),
            _ => (false, $"score {ReportWriters.Score(before.Score)} is at least {ReportWriters.Score(PublishOptions.AutoCleanBelow)}: no cleaning needed"),
        };

        CleanResult? cleaning = null;
        var sources = files.ToList();
        var sourceSplit = new Dictionary<string, string>(splitOf, StringComparer.Ordinal);
        if (clean)
        {
            options.Log?.Invoke($"Cleaning ({decision}): --remove-nulls --deduplicate --validate-types --normalize-text");
            var cleanedFolder = Path.Combine(staging, "cleaned") + Path.DirectorySeparatorChar;
            cleaning = DatasetCleaner.Clean(files, new CleanOptions
            {
                Output = cleanedFolder,
                RemoveNulls = true,
                Deduplicate = true,
                ValidateTypes = true,
                NormalizeText = true,
                Profile = options.Profile,
                LabelColumn = options.LabelColumn,
                MinGrade = options.MinGrade,
                MinScore = options.MinScore,
                Delimiter = options.Delimiter,
                Sink = options.Sink with { FlushToDisk = false },
                MaxDegreeOfParallelism = options.MaxDegreeOfParallelism,
                CancellationToken = options.CancellationToken,
            });

            // The cleaner keeps each shard's path below the inputs' common folder, so each keeps its split.
            var common = DatasetInputs.CommonFolder(files);
            sources = [];
            sourceSplit.Clear();
            foreach (var file in files)
            {
                var cleaned = Path.Combine(cleanedFolder, Path.ChangeExtension(Path.GetRelativePath(common, file), ".parquet"));
                if (File.Exists(cleaned))
                {
                    sources.Add(cleaned);
                    sourceSplit[cleaned] = splitOf[file];
                }
            }
        }

        var final = cleaning?.After ?? before;
        var skipped = false;
        if (!final.Publishable)
        {
            if (!options.SkipQualityGate)
            {
                var result = GateMessages.Result(files.Count == 1 ? files[0] : DatasetInputs.CommonFolder(files), final, options.Profile.Name, overridden: false);
                var check = cleaning is null
                    ? $"Then check: alimentar quality score {string.Join(' ', files.Select(Quote))}"
                    : $"Cleaning ({decision}) raised the score from {ReportWriters.Score(before.Score)} to {ReportWriters.Score(final.Score)}: not enough. Check: alimentar clean ... then alimentar quality score";
                throw new PublishRefusedException(GateMessages.Refusal([result], options.MinGrade, check) + "\nNothing was published.", final);
            }

            skipped = true;
            options.Warn?.Invoke(GateMessages.SkipWarning(GateMessages.Result(files.Count == 1 ? files[0] : DatasetInputs.CommonFolder(files), final, options.Profile.Name, true), options.MinGrade));
        }

        options.Log?.Invoke($"Writing Parquet shards of at most {Bytes(options.MaxShardSize)} (in memory) to {staging}");
        var dataFolder = Path.Combine(staging, "data");
        var (splits, schema) = WriteShards(sources, sourceSplit, dataFolder, options);
        var info = new DatasetInfo
        {
            Features = ArrowFeatures.FromSchema(schema),
            Splits = splits.Select(s => new SplitInfo(s.Split, s.Shards.Sum(x => x.NumBytes), s.Shards.Sum(x => x.Rows))).ToList(),
            DownloadSize = splits.Sum(s => s.Shards.Sum(x => x.FileBytes)),
        };
        return new PreparedDataset(staging, options.StagingFolder is null)
        {
            Inputs = files,
            Before = before,
            After = cleaning?.After,
            Cleaning = cleaning,
            CleanDecision = decision,
            Splits = splits,
            Info = info,
            GateSkipped = skipped,
        };
    }

    /// <summary>Each file's split: the forced one, else by name; files that name none are train, unless others name one.</summary>
    public static IReadOnlyDictionary<string, string> AssignSplits(IReadOnlyList<string> files, string? forced)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (forced is not null)
        {
            foreach (var file in files)
            {
                result[file] = forced;
            }

            return result;
        }

        var common = DatasetInputs.CommonFolder(files);
        var named = files.ToDictionary(f => f, f => SplitNames.FromPath(Path.GetRelativePath(common, f)), StringComparer.Ordinal);
        var unnamed = named.Where(n => n.Value is null).Select(n => n.Key).ToList();
        if (unnamed.Count > 0 && unnamed.Count < files.Count)
        {
            var example = named.First(n => n.Value is not null);
            throw new PublishRefusedException($"{unnamed[0]}: no split in its name while {Path.GetFileName(example.Key)} is {example.Value}; name it (train, validation, test: e.g. {Path.GetFileNameWithoutExtension(unnamed[0])}_train{Path.GetExtension(unnamed[0])}) or pass --split");
        }

        foreach (var (file, split) in named)
        {
            result[file] = split ?? SplitNames.Train;
        }

        return result;
    }

    private static (IReadOnlyList<(string Split, IReadOnlyList<ShardFile> Shards)> Splits, Schema Schema) WriteShards(IReadOnlyList<string> sources, IReadOnlyDictionary<string, string> splitOf, string folder, PublishOptions options)
    {
        var bySplit = sources.GroupBy(s => splitOf[s]).OrderBy(g => SplitOrder(g.Key)).ThenBy(g => g.Key, StringComparer.Ordinal).ToList();
        var splits = new List<(string, IReadOnlyList<ShardFile>)>();

        // Parquet whose row groups can be reused (one schema, viewer-sized groups) is sharded by copying them.
        if (sources.Count > 0 && ParquetShardPlanner.TryCreate(sources, Math.Min(options.MaxShardSize, MaxCopiedRowGroup), out _) is { } planner)
        {
            Schema arrowSchema;
            using (var first = RecordBatchSources.Open(sources[0]))
            {
                arrowSchema = WithoutFileMetadata(first.Schema);
            }

            foreach (var group in bySplit)
            {
                splits.Add((group.Key, planner.Write(group.ToList(), group.Key, folder, options.MaxShardSize, options.ShardWritten, options.CancellationToken)));
            }

            return (splits, arrowSchema);
        }

        Schema? schema = null;
        string? schemaFrom = null;
        foreach (var group in bySplit)
        {
            ShardedParquetSink? sink = null;
            var target = EvenShardRows(group.Select(InMemorySize.Estimate).ToList(), options.MaxShardSize);
            try
            {
                int[]? order = null;

                // Decoding runs a couple of batches ahead on its own thread while this one encodes.
                foreach (var item in ReadAhead.Run(Read(group.ToList(), options), cancel: options.CancellationToken))
                {
                    using (item)
                    {
                        if (item.Batch is null)
                        {
                            if (schema is null)
                            {
                                schema = WithoutFileMetadata(item.Schema);
                                schemaFrom = item.File;
                            }

                            order = ColumnOrder(schema, item.Schema, item.File, schemaFrom!);
                            sink ??= NewSink(folder, group.Key, schema, options, target);
                            continue;
                        }

                        var batch = item.Batch;
                        sink!.Write(order is null
                            ? new RecordBatch(schema!, Enumerable.Range(0, batch.ColumnCount).Select(batch.Column), batch.Length)
                            : new RecordBatch(schema!, order.Select(batch.Column), batch.Length));
                    }
                }

                sink ??= NewSink(folder, group.Key, schema!, options, target);
                splits.Add((group.Key, sink.Complete()));
            }
            finally
            {
                sink?.Dispose();
            }
        }

        if (schema is null)
        {
            throw new PublishRefusedException("nothing to publish: no rows are left");
        }

        return (splits, schema);
    }

    /// <summary>Row groups up to this size (uncompressed) are copied as they are; the viewer's limit is about 300 MB in memory.</summary>
    private const long MaxCopiedRowGroup = 256L << 20;

    // Each file's schema (a batch of null), then its batches.
    private static IEnumerable<SourceBatch> Read(IReadOnlyList<string> files, PublishOptions options)
    {
        foreach (var file in files)
        {
            options.CancellationToken.ThrowIfCancellationRequested();
            using var source = RecordBatchSources.Open(file, options.Profile.NullTokens, options.Delimiter);
            yield return new SourceBatch(file, source.Schema, null);
            foreach (var batch in source.Batches())
            {
                yield return new SourceBatch(file, source.Schema, batch);
            }
        }
    }

    private sealed record SourceBatch(string File, Schema Schema, RecordBatch? Batch) : IDisposable
    {
        public void Dispose() => Batch?.Dispose();
    }

    private static ShardedParquetSink NewSink(string folder, string split, Schema schema, PublishOptions options, long? target) =>
        // Staged shards are temporary: no fsync (the upload reads them from the page cache).
        new(folder, split, schema, options.MaxShardSize, options.Sink with { FlushToDisk = false }) { ShardWritten = options.ShardWritten, KeepProvisionalPaths = true, TargetShardRows = target };

    /// <summary>
    /// As <c>datasets</c> plans them: <c>int(nbytes / max) + 1</c> shards (nbytes estimated from the footers) of equal
    /// row counts. Null when the row count is not known without reading (text inputs): shards are then filled to the limit.
    /// </summary>
    internal static long? EvenShardRows(IReadOnlyList<(long Bytes, long? Rows)> files, long max)
    {
        if (files.Any(f => f.Rows is null))
        {
            return null;
        }

        var rows = files.Sum(f => f.Rows!.Value);
        var shards = (files.Sum(f => f.Bytes) / max) + 1;
        return shards <= 1 ? null : Math.Max(1, (rows + shards - 1) / shards);
    }

    // Shards from pandas or pyarrow carry their own file metadata (pandas index, an earlier `huggingface` key): it
    // describes the old file, not the new shards.
    private static Schema WithoutFileMetadata(Schema schema) => new(schema.FieldsList, null);

    // Where each of the first schema's columns sits in this file (null when in the same order); other columns or
    // other types are an error: one config has one set of features.
    private static int[]? ColumnOrder(Schema expected, Schema actual, string file, string first)
    {
        var same = expected.FieldsList.Count == actual.FieldsList.Count;
        var order = new int[expected.FieldsList.Count];
        for (var i = 0; i < expected.FieldsList.Count; i++)
        {
            var field = expected.FieldsList[i];
            var index = actual.GetFieldIndex(field.Name);
            if (index < 0)
            {
                throw new PublishRefusedException($"{file}: has no column '{field.Name}' (which {Path.GetFileName(first)} has); every file of a dataset needs the same columns");
            }

            var have = ArrowFeatures.Dtype(actual.FieldsList[index].DataType);
            var want = ArrowFeatures.Dtype(field.DataType);
            if (actual.FieldsList[index].DataType.TypeId != field.DataType.TypeId || have != want)
            {
                throw new PublishRefusedException($"{file}: column '{field.Name}' is {have} where {Path.GetFileName(first)} has {want}; every file of a dataset needs the same column types");
            }

            order[i] = index;
            same &= index == i;
        }

        if (actual.FieldsList.Count > expected.FieldsList.Count)
        {
            var extra = actual.FieldsList.First(f => expected.GetFieldIndex(f.Name) < 0);
            throw new PublishRefusedException($"{file}: has a column '{extra.Name}' that {Path.GetFileName(first)} does not; every file of a dataset needs the same columns");
        }

        return same ? null : order;
    }

    private static int SplitOrder(string split) => split switch
    {
        SplitNames.Train => 0,
        SplitNames.Validation => 1,
        SplitNames.Test => 2,
        _ => 3,
    };

    private static string Quote(string path) => path.Contains(' ', StringComparison.Ordinal) ? $"\"{path}\"" : path;

    internal static string Plural(long n, string noun) => $"{n.ToString("N0", CultureInfo.InvariantCulture)} {noun}{(n == 1 ? string.Empty : "s")}";

    internal static string Bytes(long bytes) => bytes >= 1_000_000_000 ? $"{bytes / 1e9:0.#} GB" : bytes >= 1_000_000 ? $"{bytes / 1e6:0.#} MB" : bytes >= 1000 ? $"{bytes / 1e3:0.#} kB" : $"{bytes} B";
}
