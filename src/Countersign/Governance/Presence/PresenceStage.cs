using Countersign.Pipeline;

namespace Countersign.Governance;

/// <summary>Notes each call as its agent's activity (coalesced) for presence; never denies.</summary>
internal sealed class PresenceStage : GateStage
{
    private readonly PresenceMonitor _monitor;

    public PresenceStage(PresenceMonitor monitor)
    {
        _monitor = monitor;
    }

    public override string Name => "presence";

    public override async ValueTask<StageResult> AuthorizeAsync(GateContext context, CancellationToken cancellationToken)
    {
        if (context.Request.AgentId is { } agent)
        {
            try
            {
                await _monitor.NoteCallAsync(agent, cancellationToken).ConfigureAwait(false);
            }
            catch (CountersignStoreException)
            {
                // Presence is observation, not enforcement: a store that cannot record activity does not stop the call
                // here; the stages that enforce (halt, budgets) fail closed on their own.
            }
        }

        return StageResult.Continue;
    }
}
