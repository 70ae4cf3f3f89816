using System.Collections.Concurrent;

namespace Alimentar.Data.Lossless;

/// <summary>
/// Enumerates a sequence on its own thread a few items ahead of the consumer, so that decoding (the producer) and
/// encoding (the consumer) use two cores instead of taking turns. Items not consumed (after a failure or an early
/// stop) are disposed.
/// </summary>
public static class ReadAhead
{
    public static IEnumerable<T> Run<T>(IEnumerable<T> source, int capacity = 2, CancellationToken cancel = default)
        where T : IDisposable
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        using var queue = new BlockingCollection<T>(boundedCapacity: capacity);
        var producer = Task.Run(
            () =>
            {
                try
                {
                    foreach (var item in source)
                    {
                        if (stop.IsCancellationRequested)
                        {
                            item.Dispose();
                            break;
                        }

                        queue.Add(item, stop.Token);
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
            foreach (var item in queue.GetConsumingEnumerable(stop.Token))
            {
                yield return item;
            }
        }
        finally
        {
            stop.Cancel();
            try
            {
                producer.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
            {
            }
            finally
            {
                while (queue.TryTake(out var left))
                {
                    left.Dispose();
                }
            }
        }
    }
}
