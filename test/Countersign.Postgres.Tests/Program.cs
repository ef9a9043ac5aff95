using Countersign.Approvals;

namespace Countersign.Postgres.Tests;

/// <summary>
/// The test assembly's entry point, used only when a test runs this assembly as a child process standing for another
/// host on the database; the test runner never calls it.
/// </summary>
internal static class Program
{
    public const string ClaimCommand = "claim";
    public const string WaitCommand = "wait";
    public const string Ready = "ready";
    public const string Listening = "listening";

    /// <summary>
    /// <c>claim &lt;connection&gt; &lt;approval id&gt; &lt;payload hash&gt;</c>: opens the store, prints <see cref="Ready"/>,
    /// waits for a line on standard input, tries to claim the grant and prints <c>claimed</c> or <c>lost</c>.
    /// <c>wait &lt;connection&gt; &lt;approval id&gt; &lt;reconnect delay ms&gt;</c>: opens the store, starts waiting for
    /// the approval, prints <see cref="Listening"/> once the change listener is connected, and prints the status it
    /// resolves to and how many times the listener connected.
    /// </summary>
    public static async Task<int> Main(string[] args)
    {
        switch (args)
        {
            case [ClaimCommand, var connection, var id, var hash]:
            {
                await using var store = await PostgresStore.OpenAsync(new PostgresStoreOptions { ConnectionString = connection });
                Console.WriteLine(Ready);
                await Console.In.ReadLineAsync();
                var won = await store.Approvals.TryConsumeAsync(id, hash, TimeProvider.System.GetUtcNow());
                Console.WriteLine(won ? "claimed" : "lost");
                return 0;
            }

            case [WaitCommand, var connection, var id, var delay]:
            {
                await using var store = await PostgresStore.OpenAsync(new PostgresStoreOptions
                {
                    ConnectionString = connection,
                    ReconnectDelay = TimeSpan.FromMilliseconds(int.Parse(delay, System.Globalization.CultureInfo.InvariantCulture)),
                });
                var wait = store.Approvals.WaitForResolutionAsync(id).AsTask();
                await store.Approvals.Listener.WaitUntilConnectedAsync(1);
                Console.WriteLine(Listening);
                ApprovalRequest resolved = await wait;
                Console.WriteLine($"{resolved.Status} {store.Approvals.Listener.Connections}");
                return 0;
            }

            default:
                await Console.Error.WriteLineAsync($"usage: {ClaimCommand} <connection> <id> <hash> | {WaitCommand} <connection> <id> <reconnect delay ms>");
                return 2;
        }
    }
}
