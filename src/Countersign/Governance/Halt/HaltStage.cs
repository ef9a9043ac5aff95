using Countersign.Pipeline;
using Countersign.Text;

namespace Countersign.Governance;

/// <summary>Denies every call from a halted agent (or from any agent under a halt of all), with the halt's reason.</summary>
internal sealed class HaltStage : GateStage
{
    private readonly IGovernanceStore _store;

    public HaltStage(IGovernanceStore store)
    {
        _store = store;
    }

    public override string Name => "halt";

    public override ValueTask<StageResult> AuthorizeAsync(GateContext context, CancellationToken cancellationToken)
    {
        try
        {
            var read = _store.GetHaltsAsync(cancellationToken);
            return read.IsCompletedSuccessfully ? ValueTask.FromResult(Judge(context, read.Result)) : JudgeAsync(context, read);
        }
        catch (CountersignStoreException ex)
        {
            return ValueTask.FromResult(Unavailable(ex));
        }
    }

    private static async ValueTask<StageResult> JudgeAsync(GateContext context, ValueTask<IReadOnlyDictionary<string, AgentHalt>> read)
    {
        try
        {
            return Judge(context, await read.ConfigureAwait(false));
        }
        catch (CountersignStoreException ex)
        {
            return Unavailable(ex);
        }
    }

    // Without the halts, nobody can tell whether the agent may act: fail closed.
    private static StageResult Unavailable(CountersignStoreException ex) =>
        StageResult.FailedClosed(DenialReason.StoreUnavailable, "the halts could not be read: " + ex.Message, ex);

    private static StageResult Judge(GateContext context, IReadOnlyDictionary<string, AgentHalt> halts)
    {
        if (halts.Count == 0)
        {
            return StageResult.Continue;
        }

        var agent = context.Request.AgentId;
        if ((agent is not null && halts.TryGetValue(agent, out var halt)) || halts.TryGetValue(AgentHalt.AllAgents, out halt))
        {
            var who = halt.AgentId == AgentHalt.AllAgents ? "every agent is" : $"agent '{ReviewerText.Neutralize(halt.AgentId, 200)}' is";
            return StageResult.Deny(
                GovernanceDenialReasons.Halted,
                $"{who} halted by '{ReviewerText.Neutralize(halt.HaltedBy, 200)}' since {halt.HaltedAt:O}: {ReviewerText.Neutralize(halt.Reason, 500)}");
        }

        return StageResult.Continue;
    }
}
