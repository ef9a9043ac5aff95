using System.Diagnostics;
using System.Text.Json;

namespace Countersign.Sqlite.Tests;

/// <summary>
/// Many openers of one new file at the same moment, repeated: each round must end with one set of keys, the one in the
/// key file, shared by every opener, and a migrated schema. A race that loses one round in a thousand shows up here.
/// </summary>
public sealed class SqliteStoreCreationRaceTests
{
    private const int Rounds = 200;
    private const int OpenersPerRound = 4;
    private const int ProcessRounds = 3;
    private const int ProcessesPerRound = 3;
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Openers_racing_in_one_process_always_share_the_key_file()
    {
        var disagreements = new List<string>();
        for (var round = 0; round < Rounds; round++)
        {
            using var database = new TempDatabase();
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var openers = Enumerable.Range(0, OpenersPerRound)
                .Select(_ => Task.Run(async () =>
                {
                    await start.Task;
                    return SqliteStore.Open(database.Options());
                }))
                .ToArray();
            start.SetResult();
            var stores = await Task.WhenAll(openers).WaitAsync(HangGuard);
            try
            {
                var onDisk = KeyFileId(database.Path);
                var held = stores.Select(s => s.AuditKeys.CurrentKeyId).ToList();
                if (held.Any(id => id != onDisk))
                {
                    disagreements.Add($"round {round}: file has {onDisk}, openers hold {string.Join(", ", held)}");
                }
            }
            finally
            {
                foreach (var store in stores)
                {
                    await store.DisposeAsync();
                }
            }

            Assert.Empty(Directory.EnumerateFiles(database.Directory, "*.tmp"));
        }

        Assert.True(disagreements.Count == 0, $"{disagreements.Count} of {Rounds} rounds disagreed:\n{string.Join('\n', disagreements)}");
    }

    [Fact]
    public async Task Processes_racing_to_open_a_new_file_share_its_key_file()
    {
        for (var round = 0; round < ProcessRounds; round++)
        {
            using var database = new TempDatabase();
            var children = Enumerable.Range(0, ProcessesPerRound).Select(_ => StoreOpenerProcess.Start(database.Path)).ToList();
            try
            {
                // Every child has started its runtime and waits for the word, so the opens themselves overlap.
                foreach (var child in children)
                {
                    await child.WaitUntilReadyAsync().WaitAsync(HangGuard);
                }

                foreach (var child in children)
                {
                    child.Go();
                }

                var held = new List<string>();
                foreach (var child in children)
                {
                    held.Add(await child.KeyIdAsync().WaitAsync(HangGuard));
                }

                Assert.All(held, id => Assert.Equal(KeyFileId(database.Path), id));
            }
            finally
            {
                foreach (var child in children)
                {
                    child.Dispose();
                }
            }

            await using var reopened = await SqliteStore.OpenAsync(database.Options());
            Assert.True((await reopened.AuditLog.VerifyAsync()).IsValid);
        }
    }

    private static string KeyFileId(string databasePath)
    {
        using var keyFile = JsonDocument.Parse(File.ReadAllBytes(SqliteKeyFile.PathFor(databasePath)));
        return keyFile.RootElement.GetProperty("audit_chain").GetProperty("current").GetString()!;
    }

    /// <summary>This test assembly run as a child process that opens a store when told to; see <see cref="Program"/>.</summary>
    private sealed class StoreOpenerProcess : IDisposable
    {
        private readonly Process _process;

        private StoreOpenerProcess(Process process) => _process = process;

        public static StoreOpenerProcess Start(string databasePath)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
            start.ArgumentList.Add(typeof(Program).Assembly.Location);
            start.ArgumentList.Add(Program.OpenStoreCommand);
            start.ArgumentList.Add(databasePath);
            return new StoreOpenerProcess(Process.Start(start)!);
        }

        public async Task WaitUntilReadyAsync() => Assert.Equal(Program.Ready, await _process.StandardOutput.ReadLineAsync());

        public void Go()
        {
            _process.StandardInput.WriteLine();
            _process.StandardInput.Flush();
        }

        public async Task<string> KeyIdAsync()
        {
            var keyId = await _process.StandardOutput.ReadLineAsync();
            await _process.WaitForExitAsync();
            Assert.Equal(0, _process.ExitCode);
            return keyId!;
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
            }

            _process.Dispose();
        }
    }
}
