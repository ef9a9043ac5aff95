using System.Text.Json;
using Countersign.Audit;
using Countersign.DependencyInjection;
using Countersign.Keys;
using Countersign.Serialization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Countersign.Sqlite.Tests;

/// <summary>Where the store's keys come from: a provider, configuration, a key file, and what rotation keeps.</summary>
public sealed class SqliteStoreKeysTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly JsonElement Arguments = JsonDocument.Parse("""{"amount":42}""").RootElement;
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private static AuditEntry Entry(string actionId) => new() { Timestamp = At, Kind = AuditEventKind.ApprovalRequested, ActionId = actionId, ToolName = "refund" };

    private SqliteStoreOptions OptionsWith(IKeyRingProvider keys)
    {
        var options = _database.Options();
        options.Keys = keys;
        return options;
    }

    private static async Task<List<string>> KeyIdsOf(SqliteStore store)
    {
        var ids = new List<string>();
        await foreach (var record in store.AuditLog.ReadAsync())
        {
            ids.Add(record.KeyId);
        }

        return ids;
    }

    [Fact]
    public async Task A_custom_provider_supplies_the_keys_and_no_key_file_is_made()
    {
        var ring = TestKeys.Ring("vault-7");
        var provider = new CallbackKeyRingProvider(async _ =>
        {
            await Task.Yield();
            return ring;
        });

        await using var store = await SqliteStore.OpenAsync(OptionsWith(provider));
        await store.AuditLog.AppendAsync([Entry("a")]);

        Assert.Equal(1, provider.Loads);
        Assert.Same(ring, store.Keys);
        Assert.Equal(["vault-7"], await KeyIdsOf(store));
        Assert.Equal(new PayloadHasher(TestKeys.PayloadHashKey).Compute("refund", Arguments), store.PayloadHasher.Compute("refund", Arguments));
        Assert.Null(store.KeyFilePath);
        Assert.False(File.Exists(_database.Path + ".keys"));
    }

    [Fact]
    public async Task A_synchronous_open_waits_for_an_asynchronous_provider()
    {
        var provider = new CallbackKeyRingProvider(async _ =>
        {
            await Task.Yield();
            return TestKeys.Ring("vault-7");
        });

        await using var store = SqliteStore.Open(OptionsWith(provider));

        Assert.Equal("vault-7", store.AuditKeys.CurrentKeyId);
    }

    [Fact]
    public async Task A_failing_provider_stops_the_open_before_anything_is_created()
    {
        var options = OptionsWith(new CallbackKeyRingProvider(_ => throw new InvalidOperationException("vault unreachable")));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => SqliteStore.OpenAsync(options));

        Assert.Equal("vault unreachable", error.Message);
        Assert.False(File.Exists(_database.Path));
        Assert.False(File.Exists(_database.Path + ".keys"));
    }

    [Fact]
    public async Task A_provider_that_returns_no_ring_is_named()
    {
        var options = OptionsWith(new CallbackKeyRingProvider(_ => Task.FromResult<KeyRing>(null!)));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => SqliteStore.OpenAsync(options));

        Assert.Contains(nameof(CallbackKeyRingProvider), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rotating_the_audit_key_in_configuration_keeps_earlier_entries_verifiable()
    {
        var values = new Dictionary<string, string?>
        {
            ["Countersign:Keys:PayloadHash:Current"] = "ph-1",
            ["Countersign:Keys:PayloadHash:Keys:ph-1"] = Convert.ToBase64String(new byte[32]),
            ["Countersign:Keys:AuditChain:Current"] = "2026-03",
            ["Countersign:Keys:AuditChain:Keys:2026-03"] = Convert.ToBase64String(Enumerable.Repeat((byte)3, 32).ToArray()),
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var options = OptionsWith(new ConfigurationKeyRingProvider(configuration));
        await using (var before = await SqliteStore.OpenAsync(options))
        {
            await before.AuditLog.AppendAsync([Entry("a"), Entry("b")]);
        }

        configuration["Countersign:Keys:AuditChain:Current"] = "2026-04";
        configuration["Countersign:Keys:AuditChain:Keys:2026-04"] = Convert.ToBase64String(Enumerable.Repeat((byte)4, 32).ToArray());
        await using var after = await SqliteStore.OpenAsync(options);
        await after.AuditLog.AppendAsync([Entry("c")]);

        var result = await after.AuditLog.VerifyAsync();
        Assert.True(result.IsValid, result.Problem);
        Assert.Equal(["2026-03", "2026-03", "2026-04"], await KeyIdsOf(after));
    }

    [Fact]
    public async Task A_key_file_moved_away_from_the_database_is_read_through_its_provider()
    {
        string payloadHash;
        await using (var first = await SqliteStore.OpenAsync(_database.Options()))
        {
            await first.AuditLog.AppendAsync([Entry("a")]);
            payloadHash = first.PayloadHasher.Compute("refund", Arguments);
        }

        var keyFile = Path.Combine(_database.Directory, "secrets", "countersign.keys");
        Directory.CreateDirectory(Path.GetDirectoryName(keyFile)!);
        File.Move(_database.Path + ".keys", keyFile);

        await using var store = await SqliteStore.OpenAsync(OptionsWith(new SqliteKeyFileProvider(keyFile)));

        Assert.True((await store.AuditLog.VerifyAsync()).IsValid);
        Assert.Equal(payloadHash, store.PayloadHasher.Compute("refund", Arguments));
        Assert.False(File.Exists(_database.Path + ".keys"));
    }

    [Fact]
    public async Task A_key_file_provider_never_creates_its_file()
    {
        var missing = Path.Combine(_database.Directory, "missing.keys");

        var error = await Assert.ThrowsAsync<CountersignStoreException>(() => SqliteStore.OpenAsync(OptionsWith(new SqliteKeyFileProvider(missing))));

        Assert.False(error.IsTransient);
        Assert.Contains("missing.keys", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(missing));
    }

    [Fact]
    public async Task A_key_file_of_the_first_format_still_opens_with_its_keys()
    {
        var payloadKey = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        var text = $$$"""{"format":1,"payload_hash_key":"{{{Convert.ToBase64String(payloadKey)}}}","audit_current_key_id":"k1","audit_keys":{"k1":"{{{Convert.ToBase64String(new byte[32])}}}"}}""";
        await File.WriteAllTextAsync(_database.Path + ".keys", text);

        await using var store = await SqliteStore.OpenAsync(_database.Options());

        Assert.Equal(SqliteKeyFile.FormatOnePayloadHashKeyId, store.Keys.PayloadHash.CurrentKeyId);
        Assert.Equal(new PayloadHasher(payloadKey).Compute("refund", Arguments), store.PayloadHasher.Compute("refund", Arguments));
        Assert.Equal("k1", store.AuditKeys.CurrentKeyId);
        Assert.Equal(text, await File.ReadAllTextAsync(_database.Path + ".keys"));
    }

    [Fact]
    public async Task UseSqlite_takes_the_key_ring_provider_registered_in_the_container()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IKeyRingProvider>(TestKeys.Provider());
        services.AddCountersign().UseSqlite(_database.Path);
        await using var provider = services.BuildServiceProvider();

        var gate = provider.GetRequiredService<ActionGate>();

        Assert.Equal(new PayloadHasher(TestKeys.PayloadHashKey).Compute("refund", Arguments), gate.PayloadHasher.Compute("refund", Arguments));
        Assert.False(File.Exists(_database.Path + ".keys"));
    }

    /// <summary>A provider whose load is a callback, standing in for a secret store.</summary>
    private sealed class CallbackKeyRingProvider(Func<CancellationToken, Task<KeyRing>> loadAsyncCallback) : IKeyRingProvider
    {
        public int Loads { get; private set; }

        public async ValueTask<KeyRing> LoadAsync(CancellationToken cancellationToken = default)
        {
            Loads++;
            return await loadAsyncCallback(cancellationToken);
        }
    }
}
