using Alimentar.Quality;
using Spectre.Console;

namespace Alimentar.Cli.Rendering;

/// <summary>A progress bar on stderr, shown only when stderr is a terminal.</summary>
public static class ProgressDisplay
{
    public static T Run<T>(string title, Func<IProgress<ScanProgress>, T> work)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        T result = default!;
        console.Progress()
            .AutoClear(true)
            .HideCompleted(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask(title, maxValue: 1);
                var progress = new Progress<ScanProgress>(p =>
                {
                    if (p.DeclaredRows is > 0 and { } total)
                    {
                        task.MaxValue = total;
                        task.Value = Math.Min(p.RowsRead, total);
                    }
                    else
                    {
                        task.IsIndeterminate = true;
                    }

                    task.Description = $"{title}: {p.RowsRead:N0} rows";
                });
                result = work(progress);
                task.Value = task.MaxValue;
            });
        return result;
    }
}
