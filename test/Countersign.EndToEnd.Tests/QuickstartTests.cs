namespace Countersign.EndToEnd.Tests;

public sealed class QuickstartTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "countersign-e2e", Guid.NewGuid().ToString("N"));

    public QuickstartTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Database => Path.Combine(_directory, "quickstart.db");

    [Fact]
    public async Task Answering_yes_at_the_prompt_runs_the_refund_once_and_the_audit_chain_verifies()
    {
        var (exitCode, output) = await SampleProcess.RunAsync(
            SampleProcess.SamplePath("Quickstart"), [Database], "y\nverified with the customer\n", new Dictionary<string, string> { ["COUNTERSIGN_CONSOLE_INTERACTIVE"] = "true" });

        Assert.Equal(0, exitCode);
        Assert.Contains("Refunded 25.00 USD on ord_1001.", output, StringComparison.Ordinal);
        Assert.Contains("Approve this action? [y/N]", output, StringComparison.Ordinal);
        Assert.Contains("Refunded 4000.00 USD on ord_1002.", output, StringComparison.Ordinal);
        Assert.Contains("Audit log: 6 entries, hash chain verified.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pressing_enter_denies_by_default()
    {
        var (exitCode, output) = await SampleProcess.RunAsync(
            SampleProcess.SamplePath("Quickstart"), [Database], "\n\n", new Dictionary<string, string> { ["COUNTERSIGN_CONSOLE_INTERACTIVE"] = "true" });

        Assert.Equal(0, exitCode);
        Assert.Contains("DENIED: 'refund' was denied by reviewer", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Refunded 4000.00", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_terminal_the_request_stays_pending_and_times_out_into_a_denial()
    {
        var (exitCode, output) = await SampleProcess.RunAsync(
            SampleProcess.SamplePath("Quickstart"), [Database], input: null, new Dictionary<string, string> { ["COUNTERSIGN_REVIEW_TIMEOUT"] = "1" });

        Assert.Equal(0, exitCode);
        Assert.Contains("stays pending", output, StringComparison.Ordinal);
        Assert.Contains("no reviewer decided before the timeout", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Refunded 4000.00", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shadow_mode_from_the_environment_runs_the_refund_without_asking()
    {
        var (exitCode, output) = await SampleProcess.RunAsync(
            SampleProcess.SamplePath("Quickstart"), [Database], input: null, new Dictionary<string, string> { ["COUNTERSIGN_ENFORCEMENT_MODE"] = "shadow" });

        Assert.Equal(0, exitCode);
        Assert.Contains("mode: Shadow", output, StringComparison.Ordinal);
        Assert.Contains("Refunded 4000.00 USD on ord_1002.", output, StringComparison.Ordinal);
        Assert.DoesNotContain("[y/N]", output, StringComparison.Ordinal);
    }
}
