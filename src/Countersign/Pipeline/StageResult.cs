using Countersign.Approvals;

namespace Countersign.Pipeline;

/// <summary>What a stage decided while authorising a call: go on to the next stage, or stop with a denial.</summary>
public readonly struct StageResult
{
    private StageResult(DenialReason? denial, IReadOnlyList<string> details, string? reviewer, string? comment, Exception? cause, ApprovalPendingException? pending)
    {
        Denial = denial;
        Details = details;
        Reviewer = reviewer;
        Comment = comment;
        Cause = cause;
        Pending = pending;
    }

    /// <summary>Gets the result that lets the call go on to the next stage.</summary>
    public static StageResult Continue => default;

    /// <summary>Gets a completed task of <see cref="Continue"/>, for stages that decide synchronously.</summary>
    public static ValueTask<StageResult> ContinueTask => default;

    /// <summary>Gets whether the call goes on.</summary>
    public bool IsContinue => Denial is null && Pending is null;

    /// <summary>Gets why the call was stopped, when it was denied.</summary>
    public DenialReason? Denial { get; }

    /// <summary>Gets the reasons given with a denial, shown to the caller and recorded in the audit log.</summary>
    public IReadOnlyList<string> Details { get; }

    /// <summary>Gets the reviewer who denied the call, when one did.</summary>
    public string? Reviewer { get; }

    /// <summary>Gets the reviewer's verbatim comment, when one was given.</summary>
    public string? Comment { get; }

    internal Exception? Cause { get; }

    internal ApprovalPendingException? Pending { get; }

    /// <summary>Stops the call: it is denied for <paramref name="reason"/>, with <paramref name="details"/> shown to the caller.</summary>
    /// <param name="reason">The denial's code and summary.</param>
    /// <param name="details">Why, in words the agent and the audit log can use.</param>
    /// <returns>The result.</returns>
    public static StageResult Deny(DenialReason reason, params IReadOnlyList<string> details)
    {
        ArgumentNullException.ThrowIfNull(reason);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason.Code, nameof(reason));
        return new StageResult(reason, details ?? [], null, null, null, null);
    }

    internal static StageResult DeniedByReviewer(IReadOnlyList<string> details, string? reviewer, string? comment) =>
        new(DenialReason.Reviewer, details, reviewer, comment, null, null);

    internal static StageResult FailedClosed(DenialReason reason, string detail, Exception cause) =>
        new(reason, [detail], null, null, cause, null);

    internal static StageResult Held(ApprovalPendingException pending) => new(null, [], null, null, null, pending);
}
