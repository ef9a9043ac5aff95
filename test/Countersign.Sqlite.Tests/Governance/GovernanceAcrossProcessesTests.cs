using System.Diagnostics;
using Countersign.Governance;
using Countersign.Policy;

namespace Countersign.Sqlite.Tests.Governance;

/// <summary>Halts and budgets shared with child processes on one SQLite file, as separate agent hosts would share it.</summary>
public sealed class GovernanceAcrossProcessesTests : IDisposable
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task A_halt_made_in_this_process_denies_the_agent_in_a_child_process()
    {
        await using (var gate = new ActionGateBuilder().UsePolicy(ActionPolicy.AllowAll).UseSqlite(_database.Path).UseEnvironment(_ => null).AddHalt().Build())
        {
            await gate.Governance.HaltAsync("billing-bot", "alice", "refund storm");
        }

        using var child = GatedCall.Start(_database.Path, "billing-bot", "refund", cap: 100);
        await child.WaitUntilReadyAsync();
        child.Go();

        var result = await child.ResultAsync();
        Assert.StartsWith("denied agent_halted: agent 'billing-bot' is halted by 'alice' since ", result, StringComparison.Ordinal);
        Assert.EndsWith(": refund storm", result, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Child_processes_racing_for_the_last_budget_unit_run_exactly_one_call()
    {
        await using (await SqliteStore.OpenAsync(_database.Options()))
        {
            // Created before the children start, so they race for the budget rather than for creating the file.
        }

        var children = Enumerable.Range(0, 3).Select(_ => GatedCall.Start(_database.Path, "billing-bot", "refund", cap: 1)).ToList();
        try
        {
            foreach (var child in children)
            {
                await child.WaitUntilReadyAsync();
            }

            children.ForEach(c => c.Go());
            var results = await Task.WhenAll(children.Select(c => c.ResultAsync()));

            Assert.Single(results, r => r == "executed");
            Assert.All(results.Where(r => r != "executed"), r => Assert.StartsWith("denied budget_exceeded:", r, StringComparison.Ordinal));
        }
        finally
        {
            children.ForEach(c => c.Dispose());
        }
    }

    private sealed class GatedCall : IDisposable
    {
        private readonly Process _process;

        private GatedCall(Process process) => _process = process;

        public static GatedCall Start(string databasePath, string agent, string tool, int cap)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
            start.ArgumentList.Add(typeof(Program).Assembly.Location);
            foreach (var argument in new[] { Program.GatedCallCommand, databasePath, agent, tool, cap.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            {
                start.ArgumentList.Add(argument);
            }

            return new GatedCall(Process.Start(start)!);
        }

        public async Task WaitUntilReadyAsync() => Assert.Equal(Program.Ready, await _process.StandardOutput.ReadLineAsync().WaitAsync(HangGuard));

        public void Go()
        {
            _process.StandardInput.WriteLine();
            _process.StandardInput.Flush();
        }

        public async Task<string> ResultAsync()
        {
            var line = await _process.StandardOutput.ReadLineAsync().WaitAsync(HangGuard);
            await _process.WaitForExitAsync().WaitAsync(HangGuard);
            Assert.Equal(0, _process.ExitCode);
            return line!;
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.Dispose();
        }
    }
}
