using Countersign.Approvals;
using Countersign.DependencyInjection;
using Countersign.Policy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

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
    public void Invalid_options_fail_the_host_at_start_up_with_every_problem_listed()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Countersign:SamplePercent"] = "250",
                ["Countersign:ReviewTimeout"] = "-00:01:00",
                ["Countersign:ReadEnvironment"] = "false",
            })
            .Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddCountersign();
        using var provider = services.BuildServiceProvider();

        // What a host does before it starts its hosted services: validate every options type marked ValidateOnStart.
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Equal(2, error.Failures.Count());
        Assert.Contains(error.Failures, f => f.Contains("SamplePercent must be between 0 and 100", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("ReviewTimeout must be positive", StringComparison.Ordinal));
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

    [Fact]
    public void The_hosted_services_are_registered_once_even_when_AddCountersign_is_called_twice()
    {
        var services = new ServiceCollection();
        services.AddCountersign(o => o.ReadEnvironment = false);
        services.AddCountersign(o => o.ReadEnvironment = false);

        using var provider = services.BuildServiceProvider();
        var hosted = provider.GetServices<IHostedService>().ToList();

        Assert.Equal(3, hosted.Count);
        Assert.Same(Assert.Single(hosted.OfType<ApprovalExpirySweeper>()), provider.GetRequiredService<ApprovalExpirySweeper>());
        Assert.Same(Assert.Single(hosted.OfType<Countersign.Hosting.AuditVerificationService>()), provider.GetRequiredService<Countersign.Hosting.AuditVerificationService>());
        Assert.Single(hosted.OfType<Countersign.Hosting.GateStartupService>());
    }

    [Fact]
    public void The_expiry_sweeper_options_bind_from_configuration_and_code()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Countersign:ExpirySweeper:Interval"] = "00:00:05",
                ["Countersign:ReadEnvironment"] = "false",
            })
            .Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddCountersign().ConfigureExpirySweeper(o => o.Enabled = false);

        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<ApprovalExpirySweeperOptions>>().Value;

        Assert.Equal(TimeSpan.FromSeconds(5), options.Interval);
        Assert.False(options.Enabled);
    }

    [Fact]
    public void An_invalid_sweeper_interval_fails_when_the_sweeper_is_resolved()
    {
        var services = new ServiceCollection();
        services.AddCountersign(o => o.ReadEnvironment = false).ConfigureExpirySweeper(o => o.Interval = TimeSpan.Zero);

        using var provider = services.BuildServiceProvider();

        var error = Assert.ThrowsAny<Exception>(() => provider.GetRequiredService<ApprovalExpirySweeper>());
        Assert.Contains("Interval", error.Message, StringComparison.Ordinal);
    }
}
