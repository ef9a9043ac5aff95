using Countersign.StoreConformance;
using Microsoft.Extensions.Configuration;

namespace Countersign.Sqlite.Tests;

public sealed class SqliteStoreOptionsTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task A_store_opened_with_default_options_syncs_every_commit()
    {
        var logs = new CapturingLoggerFactory();
        var options = _database.Options();
        options.LoggerFactory = logs;

        await using var store = await SqliteStore.OpenAsync(options);

        Assert.Equal(SqliteDurability.Full, new SqliteStoreOptions().Durability);
        Assert.Contains(logs.Messages, m => m.Message.Contains("synchronous=Full", StringComparison.Ordinal));
    }

    [Fact]
    public void Durability_and_timeouts_bind_from_configuration_by_name()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Sqlite:DatabasePath"] = "/var/lib/countersign/countersign.db",
                ["Sqlite:Durability"] = "Normal",
                ["Sqlite:BusyTimeout"] = "00:00:10",
            })
            .Build();
        var options = new SqliteStoreOptions();

        configuration.GetSection("Sqlite").Bind(options);

        Assert.Equal("/var/lib/countersign/countersign.db", options.DatabasePath);
        Assert.Equal(SqliteDurability.Normal, options.Durability);
        Assert.Equal(TimeSpan.FromSeconds(10), options.BusyTimeout);
    }
}
