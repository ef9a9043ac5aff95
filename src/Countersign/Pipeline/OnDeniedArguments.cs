namespace Countersign.Pipeline;

/// <summary>What an <c>OnDenied</c> callback receives: the call and why it was denied.</summary>
public sealed class OnDeniedArguments
{
    internal OnDeniedArguments(GateContext context, ActionDeniedException denial)
    {
        Context = context;
        Denial = denial;
    }

    /// <summary>Gets the call.</summary>
    public GateContext Context { get; }

    /// <summary>Gets the denial, as the caller receives it.</summary>
    public ActionDeniedException Denial { get; }
}
