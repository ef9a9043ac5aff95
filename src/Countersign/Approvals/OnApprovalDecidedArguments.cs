using Countersign.Pipeline;

namespace Countersign.Approvals;

/// <summary>What an <c>OnApprovalDecided</c> callback receives: the call and its approval, now granted, denied or expired.</summary>
public sealed class OnApprovalDecidedArguments
{
    internal OnApprovalDecidedArguments(GateContext context, ApprovalRequest approval)
    {
        Context = context;
        Approval = approval;
    }

    /// <summary>Gets the call.</summary>
    public GateContext Context { get; }

    /// <summary>Gets the approval in its final state.</summary>
    public ApprovalRequest Approval { get; }
}
