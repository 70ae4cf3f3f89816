using Apache.Arrow;

namespace Alimentar.Data.Lossless;

/// <summary>
/// One file read as Arrow record batches with every value intact: nested lists, structs and maps, decimals,
/// timestamps with their unit and zone, dictionary-encoded columns, field and file metadata. This is the data path
/// for transforms; the scanner's column chunks are the fast path for scoring.
/// </summary>
public interface IRecordBatchSource : IDisposable
{
    string Path { get; }

    Schema Schema { get; }

    /// <summary>Batches in row order. Each batch is owned by the caller, who disposes it.</summary>
    IEnumerable<RecordBatch> Batches();
}
