using System.CommandLine;

namespace Alimentar.Cli.Commands;

/// <summary><c>alimentar hub</c>: serve and push.</summary>
public static class HubCommands
{
    public static Command Build()
    {
        var hub = new Command("hub", "Publish to the Hugging Face Hub, or run a self-hosted Hub");
        return hub;
    }
}
