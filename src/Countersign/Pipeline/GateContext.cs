using Countersign.Approvals;
using Countersign.Policy;

namespace Countersign.Pipeline;

/// <summary>
/// One call on its way through the gate: what was asked, and what each stage found. Built-in stages fill in the
/// verdict, the mode, the approval and the path; a stage of your own reads them and may keep its own state in
/// <see cref="Items"/>.
/// </summary>
public sealed class GateContext
{
    private Dictionary<string, object?>? _items;
    private List<string>? _outcomeNotes;

    internal GateContext(ActionRequest request, string actionId, string? requestedBy, GateCallOptions? callOptions, TimeProvider timeProvider)
    {
        Request = request;
        ActionId = actionId;
        RequestedBy = requestedBy;
        CallOptions = callOptions;
        TimeProvider = timeProvider;
        RedactedArgumentsJson = string.Empty;
        PayloadHash = string.Empty;
        ModeName = string.Empty;
    }

    /// <summary>Gets the call as the caller described it (arguments unredacted: never log them).</summary>
    public ActionRequest Request { get; }

    /// <summary>Gets the call's identifier; every audit entry of the call carries it.</summary>
    public string ActionId { get; }

    /// <summary>Gets the identity on whose behalf the call is made, after the gate's default is applied.</summary>
    public string? RequestedBy { get; }

    /// <summary>Gets the clock of the gate.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Gets the keyed hash of the exact payload, which approvals are bound to.</summary>
    public string PayloadHash { get; internal set; }

    /// <summary>Gets the arguments as canonical JSON with the policy's redacted fields masked; safe to show and store.</summary>
    public string RedactedArgumentsJson { get; internal set; }

    /// <summary>Gets the policy's verdict, once the policy stage has run.</summary>
    public PolicyDecision? Verdict { get; internal set; }

    /// <summary>Gets whether the verdict is enforced (false in shadow mode and for calls sampled out).</summary>
    public bool IsEnforced { get; internal set; } = true;

    /// <summary>Gets the enforcement mode's name as recorded: <c>enforce</c>, <c>shadow</c> or <c>sample</c>.</summary>
    public string ModeName { get; internal set; }

    /// <summary>Gets the approval that holds or released the call, when one was needed.</summary>
    public ApprovalRequest? Approval { get; internal set; }

    /// <summary>Gets why the call may run, once a stage has released it; <see cref="ExecutionPath.None"/> before.</summary>
    public ExecutionPath Path { get; internal set; }

    /// <summary>Gets whether enforcement would have blocked or held a call that runs anyway (shadow, fail-open).</summary>
    public bool WouldBlock { get; internal set; }

    /// <summary>Gets how the call ended, once it has run; stages read it in <see cref="GateStage.CompleteAsync"/>.</summary>
    public CallOutcome? Outcome { get; internal set; }

    /// <summary>Gets a bag for state that a stage of your own carries from authorisation to completion.</summary>
    public IDictionary<string, object?> Items => _items ??= new Dictionary<string, object?>(StringComparer.Ordinal);

    internal GateCallOptions? CallOptions { get; }

    internal ReadOnlyMemory<byte> CanonicalArguments { get; set; }

    internal TimeSpan WaitedForReview { get; set; }

    internal string? DecisionSource { get; set; }

    internal string? DecidedBy { get; set; }

    internal string? ReviewComment { get; set; }

    internal Execution.ExecutionRecord? EarlierExecution { get; set; }

    internal string? ResultJson { get; set; }

    internal bool ResultIncomplete { get; set; }

    internal IReadOnlyList<Governance.BudgetCharge>? BudgetCharges { get; set; }

    internal decimal? ActualCost { get; set; }

    internal List<string> OutcomeNotes => _outcomeNotes ??= [];

    internal bool HasOutcomeNotes => _outcomeNotes is { Count: > 0 };

    internal string VerdictName => Verdict?.Effect switch
    {
        PolicyEffect.Allow => "allow",
        PolicyEffect.Deny => "deny",
        PolicyEffect.RequireApproval => "require_approval",
        _ => "none",
    };

    internal bool NeededApproval => Verdict?.Effect == PolicyEffect.RequireApproval;
}
