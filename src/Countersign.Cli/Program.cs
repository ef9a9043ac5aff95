using Countersign.Cli.CommandLine;

return await CountersignCli.RunAsync(args, CliHost.FromProcess()).ConfigureAwait(false);
