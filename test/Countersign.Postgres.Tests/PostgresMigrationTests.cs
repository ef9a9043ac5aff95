using Npgsql;

namespace Countersign.Postgres.Tests;

/// <summary>Versioned migrations: applied once however many hosts start together, idempotent, and a newer schema refused.</summary>
public sealed class PostgresMigrationTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Migrating_an_empty_database_applies_every_step_and_again_changes_nothing()
    {
        var first = await PostgresStoreMigrator.MigrateAsync(_database.ConnectionString);
        var second = await PostgresStoreMigrator.MigrateAsync(_database.ConnectionString);

        Assert.Equal(new PostgresMigrationResult(0, PostgresStoreMigrator.LatestVersion), first);
        Assert.True(first.Applied);
        Assert.Equal(new PostgresMigrationResult(PostgresStoreMigrator.LatestVersion, PostgresStoreMigrator.LatestVersion), second);
        Assert.False(second.Applied);
        Assert.Equal(PostgresStoreMigrator.LatestVersion, await PostgresStoreMigrator.GetVersionAsync(_database.ConnectionString));
    }

    [Fact]
    public async Task Hosts_migrating_at_once_apply_each_step_once()
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var migrations = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            return await PostgresStoreMigrator.MigrateAsync(_database.ConnectionString);
        })).ToArray();

        start.SetResult();
        var results = await Task.WhenAll(migrations);

        Assert.Single(results, r => r.Applied);
        Assert.Equal((long)PostgresStoreMigrator.LatestVersion, await _database.ScalarAsync<long>("SELECT count(*) FROM countersign_schema_version"));
    }

    [Fact]
    public async Task A_database_migrated_by_a_newer_version_is_refused_and_left_unchanged()
    {
        await PostgresStoreMigrator.MigrateAsync(_database.ConnectionString);
        var newer = PostgresStoreMigrator.LatestVersion + 1;
        await _database.ExecuteAsync("INSERT INTO countersign_schema_version (version, description) VALUES (@v, 'from the future')", ("v", newer));

        var open = await Assert.ThrowsAsync<CountersignStoreException>(() => PostgresStore.OpenAsync(_database.Options()));
        var migrate = await Assert.ThrowsAsync<CountersignStoreException>(() => PostgresStoreMigrator.MigrateAsync(_database.ConnectionString));

        Assert.Contains($"version {newer}, newer than", open.Message, StringComparison.Ordinal);
        Assert.Contains("Upgrade Countersign", migrate.Message, StringComparison.Ordinal);
        Assert.False(open.IsTransient);
        Assert.Equal(newer, await PostgresStoreMigrator.GetVersionAsync(_database.ConnectionString));
    }

    [Fact]
    public async Task Opening_without_migrating_refuses_a_database_not_yet_migrated_and_says_how_to_migrate()
    {
        var options = _database.Options();
        options.MigrateOnOpen = false;

        var refused = await Assert.ThrowsAsync<CountersignStoreException>(() => PostgresStore.OpenAsync(options));

        Assert.Contains("countersign migrate --postgres", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, await PostgresStoreMigrator.GetVersionAsync(_database.ConnectionString));
    }

    [Fact]
    public async Task Opening_without_migrating_works_on_a_migrated_database()
    {
        await PostgresStoreMigrator.MigrateAsync(_database.ConnectionString);
        var options = _database.Options();
        options.MigrateOnOpen = false;

        await using var store = await PostgresStore.OpenAsync(options);

        Assert.Equal(PostgresStoreMigrator.LatestVersion, store.SchemaVersion);
    }

    [Theory]
    [InlineData("")]
    [InlineData("app; DROP TABLE audit_entries")]
    [InlineData("1app")]
    [InlineData("app\"role")]
    public async Task An_application_role_name_that_is_not_a_plain_identifier_is_refused(string role)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => PostgresStoreMigrator.MigrateAsync(_database.ConnectionString, new PostgresMigrationOptions { ApplicationRole = role }));

        Assert.Equal(0, await PostgresStoreMigrator.GetVersionAsync(_database.ConnectionString));
    }

    [Fact]
    public async Task An_unreachable_server_fails_the_migration_as_a_transient_store_error()
    {
        var unreachable = new NpgsqlConnectionStringBuilder(_database.ConnectionString) { Port = 1, Timeout = 2 }.ConnectionString;

        var failure = await Assert.ThrowsAsync<CountersignStoreException>(() => PostgresStoreMigrator.MigrateAsync(unreachable));

        Assert.True(failure.IsTransient);
    }
}
