using Alimentar.Hub.Client;
using Spectre.Console;

namespace Alimentar.Cli.Rendering;

/// <summary>One progress bar per file (bytes, rate, ETA) on stderr while a push runs.</summary>
public static class TransferDisplay
{
    public static async Task<T> RunAsync<T>(HubClient client, Func<Task<T>> work)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        T result = default!;
        await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var tasks = new Dictionary<string, ProgressTask>(StringComparer.Ordinal);
                client.Progress = new Progress<TransferProgress>(p =>
                {
                    lock (tasks)
                    {
                        if (!tasks.TryGetValue(p.Path, out var task))
                        {
                            task = context.AddTask(Markup.Escape(p.Path), maxValue: Math.Max(1, p.Total));
                            tasks[p.Path] = task;
                        }

                        task.Description = Markup.Escape($"{p.Stage} {p.Path}");
                        task.MaxValue = Math.Max(1, p.Total);
                        task.Value = Math.Min(p.Done, task.MaxValue);
                    }
                });
                result = await work();
                lock (tasks)
                {
                    foreach (var task in tasks.Values)
                    {
                        task.Value = task.MaxValue;
                    }
                }
            });
        client.Progress = null;
        return result;
    }
}
