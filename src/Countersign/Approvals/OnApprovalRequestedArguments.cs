using Countersign.Pipeline;

namespace Countersign.Approvals;

/// <summary>What an <c>OnApprovalRequested</c> callback receives: the call and the approval now waiting for reviewers.</summary>
public sealed class OnApprovalRequestedArguments
{
    internal OnApprovalRequestedArguments(GateContext context, ApprovalRequest approval)
    {
        Context = context;
        Approval = approval;
    }

    /// <summary>Gets the call.</summary>
    public GateContext Context { get; }

    /// <summary>Gets the approval; its <see cref="ApprovalRequest.Id"/> is what reviewers decide on.</summary>
    public ApprovalRequest Approval { get; }
}
