using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Countersign.AI;

/// <summary>Adds <see cref="CountersignChatClient"/> to a chat pipeline.</summary>
public static class CountersignChatClientBuilderExtensions
{
    /// <summary>
    /// Guards the tools of every request with the gate: out-of-scope tools hidden, the others judged on each call, model
    /// usage charged to budgets. Call it before <c>UseFunctionInvocation()</c> so the function-invoking client runs the
    /// guarded tools.
    /// </summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="gate">The gate; <see langword="null"/> resolves <see cref="ActionGate"/> from the pipeline's services.</param>
    /// <param name="loggerFactory">Logs usage that could not be recorded; <see langword="null"/> resolves one from the services, if any.</param>
    /// <param name="configure">Sets the client's options (agent, review behaviour, scope hiding, usage recording).</param>
    /// <returns><paramref name="builder"/>.</returns>
    public static ChatClientBuilder UseCountersign(
        this ChatClientBuilder builder,
        ActionGate? gate = null,
        ILoggerFactory? loggerFactory = null,
        Action<CountersignChatClient>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) =>
        {
            var client = new CountersignChatClient(
                inner,
                gate ?? services.GetRequiredService<ActionGate>(),
                loggerFactory ?? services.GetService<ILoggerFactory>());
            configure?.Invoke(client);
            return client;
        });
    }
}
