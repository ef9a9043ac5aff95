using Countersign.Approvals;
using Countersign.Channels;
using Countersign.Policy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Countersign.DependencyInjection;

/// <summary>Configures the gate registered by <see cref="CountersignServiceCollectionExtensions.AddCountersign(IServiceCollection, Action{CountersignOptions}?)"/>.</summary>
public sealed class CountersignBuilder
{
    internal CountersignBuilder(IServiceCollection services)
    {
        Services = services;
    }

    /// <summary>Gets the service collection, for store packages' extension methods.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Uses a policy built in code.</summary>
    /// <param name="policy">The policy.</param>
    /// <returns>This builder.</returns>
    public CountersignBuilder UsePolicy(ActionPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        Services.Replace(ServiceDescriptor.Singleton(policy));
        return this;
    }

    /// <summary>Loads the policy from a YAML or JSON file when the gate is first resolved.</summary>
    /// <param name="path">The file.</param>
    /// <returns>This builder.</returns>
    public CountersignBuilder UsePolicyFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Services.Replace(ServiceDescriptor.Singleton(_ => PolicyLoader.LoadFile(path)));
        return this;
    }

    /// <summary>Configures the hosted <see cref="ApprovalExpirySweeper"/> (its interval, or turning it off).</summary>
    /// <param name="configure">Sets the sweeper's options.</param>
    /// <returns>This builder.</returns>
    public CountersignBuilder ConfigureExpirySweeper(Action<ApprovalExpirySweeperOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Services.Configure(configure);
        return this;
    }

    /// <summary>Adds the terminal reviewer.</summary>
    /// <param name="configure">Sets the terminal reviewer's options.</param>
    /// <returns>This builder.</returns>
    public CountersignBuilder AddConsoleChannel(Action<ConsoleApprovalChannelOptions>? configure = null)
    {
        var options = new ConsoleApprovalChannelOptions();
        configure?.Invoke(options);
        Services.AddSingleton<IApprovalChannel>(new ConsoleApprovalChannel(options));
        return this;
    }

    /// <summary>Adds a channel that notifies reviewers.</summary>
    /// <typeparam name="TChannel">The channel type, resolved from the container.</typeparam>
    /// <returns>This builder.</returns>
    public CountersignBuilder AddChannel<TChannel>()
        where TChannel : class, IApprovalChannel
    {
        Services.AddSingleton<IApprovalChannel, TChannel>();
        return this;
    }
}
