namespace Countersign.Sqlite.Tests;

/// <summary>
/// The test assembly's entry point, used only when a test runs this assembly as a child process
/// (<c>dotnet Countersign.Sqlite.Tests.dll open-store &lt;path&gt;</c>); the test runner never calls it.
/// </summary>
internal static class Program
{
    public const string OpenStoreCommand = "open-store";
    public const string Ready = "ready";

    /// <summary>
    /// <c>open-store &lt;path&gt;</c>: prints <see cref="Ready"/>, waits for a line on standard input, opens the store
    /// at the path, appends one audit entry, and prints the audit key id it holds.
    /// </summary>
    public static async Task<int> Main(string[] args)
    {
        if (args is not [OpenStoreCommand, var path])
        {
            await Console.Error.WriteLineAsync($"usage: {OpenStoreCommand} <database path>");
            return 2;
        }

        Console.WriteLine(Ready);
        await Console.In.ReadLineAsync();
        await using var store = SqliteStore.Open(new SqliteStoreOptions { DatabasePath = path });
        await store.AuditLog.AppendAsync([new Audit.AuditEntry { Timestamp = TimeProvider.System.GetUtcNow(), Kind = Audit.AuditEventKind.ApprovalRequested, ActionId = "child", ToolName = "open" }]);
        Console.WriteLine(store.AuditKeys.CurrentKeyId);
        return 0;
    }
}
