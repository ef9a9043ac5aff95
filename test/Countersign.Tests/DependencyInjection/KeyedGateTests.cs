using Countersign.Approvals;
using Countersign.Audit;
using Countersign.DependencyInjection;
using Countersign.Policy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Countersign.Tests.DependencyInjection;

public sealed class KeyedGateTests
{
    [Fact]
    public async Task Keyed_gates_have_their_own_policy_options_and_store_beside_the_default_gate()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Countersign:ReadEnvironment"] = "false",
                ["Countersign:Gates:reads:EnforcementMode"] = "Shadow",
                ["Countersign:Gates:reads:ReadEnvironment"] = "false",
                ["Countersign:Gates:payments:ReadEnvironment"] = "false",
            })
            .Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddCountersign().UsePolicy(new PolicyBuilder().ForTool("*", r => r.Allow()).Build());
        services.AddKeyedCountersign("payments", o => o.OnReview = OnReviewBehavior.FailClosed)
            .UsePolicy(new PolicyBuilder().ForTool("*", r => r.RequireApproval()).Build());
        services.AddKeyedCountersign("reads").UsePolicy(new PolicyBuilder().ForTool("*", r => r.Deny("reads only")).Build());
        await using var provider = services.BuildServiceProvider();

        var defaultGate = provider.GetRequiredService<ActionGate>();
        var payments = provider.GetRequiredKeyedService<ActionGate>("payments");
        var reads = provider.GetRequiredKeyedService<ActionGate>("reads");

        Assert.Equal(1, await defaultGate.ExecuteAsync(ActionRequest.Create("refund"), _ => new ValueTask<int>(1)));
        await Assert.ThrowsAsync<ApprovalPendingException>(() => payments.ExecuteAsync(ActionRequest.Create("refund") with { RequestedBy = "bot" }, _ => new ValueTask<int>(1)));
        Assert.Equal(EnforcementMode.Shadow, reads.EnforcementMode);
        Assert.Equal(2, await reads.ExecuteAsync(ActionRequest.Create("wipe"), _ => new ValueTask<int>(2)));

        // Each gate has its own store, and the keyed services resolve to the keyed gate's.
        Assert.NotSame(defaultGate.Approvals, payments.Approvals);
        Assert.Same(payments.Approvals, provider.GetRequiredKeyedService<IApprovalStore>("payments"));
        Assert.Same(payments.AuditLog, provider.GetRequiredKeyedService<IAuditLog>("payments"));
        Assert.Single((await payments.Approvals.QueryAsync(new ApprovalQuery(), TimeProvider.System.GetUtcNow())).Items);
        Assert.Empty((await defaultGate.Approvals.QueryAsync(new ApprovalQuery(), TimeProvider.System.GetUtcNow())).Items);
    }

    [Fact]
    public async Task A_keyed_gate_is_built_when_the_host_starts()
    {
        var services = new ServiceCollection();
        var opened = 0;
        services.AddKeyedCountersign("payments", o => o.ReadEnvironment = false)
            .UseStore(_ => { opened++; return new Countersign.Tests.Governance.InMemoryGovernedStore(); });
        await using var provider = services.BuildServiceProvider();

        foreach (var hosted in provider.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        Assert.Equal(1, opened);
        foreach (var hosted in provider.GetServices<IHostedService>())
        {
            await hosted.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public void A_keyed_gate_with_invalid_options_fails_at_start_up()
    {
        var services = new ServiceCollection();
        services.AddKeyedCountersign("payments", o => { o.ReadEnvironment = false; o.SamplePercent = 400; });
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => provider.GetRequiredService<Microsoft.Extensions.Options.IStartupValidator>().Validate());

        Assert.Contains("SamplePercent", error.Message, StringComparison.Ordinal);
    }
}
