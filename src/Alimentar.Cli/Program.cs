using Alimentar.Cli;

return await CliApp.RunAsync(args);
