using Countersign.LoadHarness;

// End-to-end figures for docs/performance.md; run with -c Release.
var arguments = new HarnessArguments(args);
return arguments.Scenario switch
{
    "throughput" => await ThroughputScenario.RunAsync(arguments),
    "audit" => await AuditAppendScenario.RunAsync(arguments),
    "wakeup" => await WakeupScenario.RunAsync(arguments),
    "wakeup-cross-process" => await CrossProcessWakeupScenario.RunAsync(arguments),
    "reviewer" => await CrossProcessWakeupScenario.ReviewAsync(arguments),
    "queries" => await PostgresQueryScenario.RunAsync(arguments),
    "halt-propagation" => await HaltPropagationScenario.RunAsync(arguments),
    "evidence" => await EvidenceReportScenario.RunAsync(arguments),
    "server-allow" => await Countersign.LoadHarness.Server.ServerScenarios.AllowAsync(arguments),
    "server-wakeup" => await Countersign.LoadHarness.Server.ServerScenarios.WakeupAsync(arguments),
    "server-queue" => await Countersign.LoadHarness.Server.ServerScenarios.QueueAsync(arguments),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: dotnet run -c Release --project bench/Countersign.LoadHarness -- <scenario> [--name value ...]
          throughput            [--callers 32] [--seconds 10] [--warmup 3] [--store sqlite|postgres|discard] [--postgres CONN] [--durability full|normal] [--governance none|halt-scope-loops|budget]  allow-path calls, audited
          audit                 [--callers 32] [--seconds 10] [--warmup 3] [--durability full|normal]  the SQLite audit log alone, 1 + 1 entries a round (an allowed call)
          wakeup                [--iterations 2000] [--store sqlite|memory] [--durability full|normal]   decision -> waiting call resumes, one process
          wakeup-cross-process  [--iterations 200] [--poll-ms 100] [--store sqlite|postgres] [--postgres CONN]  decision in another process -> call resumes
          queries               --postgres CONN [--audit-rows 10000000] [--approvals 100000] [--pending 1000] [--iterations 500]  pending queue and audit pages on a large PostgreSQL store
          halt-propagation      [--iterations 50] [--poll-ms 100]            halt through one store instance -> seen by another on the file
          evidence              [--entries 1000000]                          the evidence report over a SQLite audit log of that many entries
          (--store postgres and queries create a scratch database on the server CONN names and drop it afterwards; --keep true keeps it)
          server-allow          [--callers 32] [--seconds 10] [--warmup 3] [--report false|true] [--durability full|normal] [--target actions|health]  signed allow-path submissions over loopback (health: the HTTP baseline)
          server-wakeup         [--iterations 300] [--durability full|normal]  decision over the API -> long-polling client has its answer
          server-queue          [--pending 100000] [--iterations 200]       first page of the pending queue over HTTP
        """);
    return 2;
}
