using Countersign.DependencyInjection;
using Countersign.Policy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Countersign.Tests.DependencyInjection;

public sealed class AddCountersignTests
{
    [Fact]
    public void Options_bind_from_the_Countersign_configuration_section()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Countersign:EnforcementMode"] = "Shadow",
                ["Countersign:ReviewTimeout"] = "00:02:00",
                ["Countersign:ReadEnvironment"] = "false",
            })
            .Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddCountersign().UsePolicy(ActionPolicy.AllowAll);

        using var provider = services.BuildServiceProvider();
        var gate = provider.GetRequiredService<ActionGate>();

        Assert.Equal(EnforcementMode.Shadow, gate.EnforcementMode);
        Assert.Same(ActionPolicy.AllowAll, gate.Policy);
    }

    [Fact]
    public async Task Code_configuration_and_defaults_give_a_working_gate_without_any_configuration()
    {
        var services = new ServiceCollection();
        services.AddCountersign(o =>
        {
            o.OnReview = OnReviewBehavior.FailClosed;
            o.ReadEnvironment = false;
        });

        using var provider = services.BuildServiceProvider();
        var gate = provider.GetRequiredService<ActionGate>();

        Assert.Equal(OnReviewBehavior.FailClosed, gate.OnReview);
        await Assert.ThrowsAsync<ApprovalPendingException>(() => gate.ExecuteAsync(ActionRequest.Create("anything") with { AgentId = "agent-1" }, _ => new ValueTask<int>(1)));
        Assert.Same(gate.Reviews, provider.GetRequiredService<Countersign.Approvals.ReviewRecorder>());
    }

    [Fact]
    public void Invalid_configuration_fails_when_the_gate_is_resolved()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Countersign:SamplePercent"] = "250", ["Countersign:ReadEnvironment"] = "false" })
            .Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddCountersign();

        using var provider = services.BuildServiceProvider();

        var error = Assert.ThrowsAny<Exception>(() => provider.GetRequiredService<ActionGate>());
        Assert.Contains("SamplePercent", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Environment_names_parse_in_snake_case_and_report_bad_values()
    {
        var options = new CountersignOptions();
        CountersignEnvironment.Apply(options, name => name switch
        {
            "COUNTERSIGN_ENFORCEMENT_MODE" => "sample",
            "COUNTERSIGN_SAMPLE_PERCENT" => "12.5",
            "COUNTERSIGN_ON_REVIEW" => "fail_closed",
            "COUNTERSIGN_REVIEW_TIMEOUT" => "90",
            _ => null,
        });

        Assert.Equal(EnforcementMode.Sample, options.EnforcementMode);
        Assert.Equal(12.5, options.SamplePercent);
        Assert.Equal(OnReviewBehavior.FailClosed, options.OnReview);
        Assert.Equal(TimeSpan.FromSeconds(90), options.ReviewTimeout);
        var error = Assert.Throws<ArgumentException>(() => CountersignEnvironment.Apply(options, name => name == "COUNTERSIGN_ON_REVIEW" ? "2" : null));
        Assert.Contains("block | fail_closed | fail_open | shadow", error.Message, StringComparison.Ordinal);
    }
}
