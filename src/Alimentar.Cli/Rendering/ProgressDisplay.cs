using Alimentar.Quality;
using Spectre.Console;

namespace Alimentar.Cli.Rendering;

/// <summary>
/// A progress bar on stderr, shown only when stderr is a terminal and the work takes more than a moment (so small
/// files do not flash a bar).
/// </summary>
public static class ProgressDisplay
{
    private static readonly TimeSpan Grace = TimeSpan.FromMilliseconds(700);

    public static T Run<T>(string title, Func<IProgress<ScanProgress>, T> work)
    {
        var gate = new object();
        ScanProgress? latest = null;
        var progress = new ImmediateProgress(p =>
        {
            lock (gate)
            {
                latest = p;
            }
        });
        var task = Task.Run(() => work(progress));
        if (task.Wait(Grace) || task.IsCompleted)
        {
            return task.GetAwaiter().GetResult();
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        console.Progress()
            .AutoClear(true)
            .HideCompleted(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                var bar = context.AddTask(title, maxValue: 1);
                while (!task.Wait(TimeSpan.FromMilliseconds(100)))
                {
                    ScanProgress? snapshot;
                    lock (gate)
                    {
                        snapshot = latest;
                    }

                    if (snapshot is { } p)
                    {
                        if (p.DeclaredRows is > 0 and { } total)
                        {
                            bar.MaxValue = total;
                            bar.Value = Math.Min(p.RowsRead, total);
                        }
                        else
                        {
                            bar.IsIndeterminate = true;
                        }

                        bar.Description = $"{title}: {p.RowsRead:N0} rows";
                    }
                }

                bar.Value = bar.MaxValue;
            });
        return task.GetAwaiter().GetResult();
    }

    /// <summary>Reports on the calling thread (System.Progress would post to the thread pool).</summary>
    private sealed class ImmediateProgress(Action<ScanProgress> report) : IProgress<ScanProgress>
    {
        public void Report(ScanProgress value) => report(value);
    }
}
