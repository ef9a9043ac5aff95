using Countersign.Approvals;
using Countersign.Audit;
using Countersign.DependencyInjection;
using Countersign.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Countersign.Tests.Hosting;

public sealed class HostedStartupTests
{
    [Fact]
    public async Task Starting_the_host_builds_the_gate_so_the_store_opens_before_the_first_call()
    {
        var services = new ServiceCollection();
        var opened = 0;
        services.AddCountersign(o => o.ReadEnvironment = false)
            .UseStore(_ => { opened++; return new Countersign.Tests.Governance.InMemoryGovernedStore(); });
        await using var provider = services.BuildServiceProvider();
        Assert.Equal(0, opened);

        await StartHostedServicesAsync(provider);

        Assert.Equal(1, opened);
        Assert.Same(provider.GetRequiredService<ActionGate>(), provider.GetRequiredService<ActionGate>());
        Assert.Equal(1, opened);
    }

    [Fact]
    public async Task A_store_that_cannot_open_fails_the_start_not_the_first_call()
    {
        var services = new ServiceCollection();
        services.AddCountersign(o => o.ReadEnvironment = false)
            .UseStore(_ => throw new CountersignStoreException("The database is unreachable.", isTransient: true));
        await using var provider = services.BuildServiceProvider();

        var error = await Assert.ThrowsAsync<CountersignStoreException>(() => StartHostedServicesAsync(provider));

        Assert.Contains("unreachable", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_chain_is_verified_on_schedule_and_a_broken_chain_is_reported()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        var log = new ScriptedVerificationLog();
        using var service = new AuditVerificationService(log, time, Options.Create(new AuditVerificationOptions { Interval = TimeSpan.FromMinutes(10) }));
        var results = new List<AuditVerificationResult>();
        var verified = new SemaphoreSlim(0);
        service.Verified += (_, result) => { results.Add(result); verified.Release(); };
        await service.StartAsync(CancellationToken.None);

        time.Advance(TimeSpan.FromMinutes(10));
        await verified.WaitAsync(TimeSpan.FromSeconds(30));
        log.Result = new AuditVerificationResult(false, 6, 7, "does not match its MAC");
        time.Advance(TimeSpan.FromMinutes(10));
        await verified.WaitAsync(TimeSpan.FromSeconds(30));
        await service.StopAsync(CancellationToken.None);

        Assert.Equal(2, results.Count);
        Assert.True(results[0].IsValid);
        Assert.Equal(7, results[1].FirstBrokenSequence);
        Assert.Same(results[1], service.LastResult);
    }

    [Fact]
    public async Task Without_an_interval_nothing_is_verified()
    {
        var time = new FakeTimeProvider();
        var log = new ScriptedVerificationLog();
        using var service = new AuditVerificationService(log, time, Options.Create(new AuditVerificationOptions()));

        await service.StartAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromDays(1));
        await service.StopAsync(CancellationToken.None);

        Assert.Equal(0, log.Verifications);
        Assert.Null(service.LastResult);
    }

    [Fact]
    public void An_interval_under_a_minute_fails_at_start_up()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Countersign:AuditVerification:Interval"] = "00:00:05" })
            .Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddCountersign(o => o.ReadEnvironment = false);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("at least one minute", error.Message, StringComparison.Ordinal);
    }

    private static async Task StartHostedServicesAsync(IServiceProvider provider)
    {
        foreach (var service in provider.GetServices<IHostedService>().OfType<GateStartupService>())
        {
            await service.StartAsync(CancellationToken.None);
        }
    }

    private sealed class ScriptedVerificationLog : IAuditLog
    {
        public AuditVerificationResult Result { get; set; } = new(true, 4, null, null);

        public int Verifications { get; private set; }

        public ValueTask AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public IAsyncEnumerable<AuditRecord> ReadAsync(long afterSequence = 0, CancellationToken cancellationToken = default) => AsyncEnumerable.Empty<AuditRecord>();

        public ValueTask<AuditVerificationResult> VerifyAsync(CancellationToken cancellationToken = default)
        {
            Verifications++;
            return ValueTask.FromResult(Result);
        }
    }
}
