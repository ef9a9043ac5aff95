using Countersign.Audit;
using Countersign.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Countersign.Approvals;

/// <summary>
/// The one way reviewers' decisions enter the system, whatever the channel (console, web, Slack, CLI): records the
/// decision in the store, which enforces separation of duties and quorums, then writes a <see cref="AuditEventKind.Decided"/> entry.
/// </summary>
public sealed class ReviewRecorder
{
    private readonly IApprovalStore _store;
    private readonly IAuditLog _audit;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _grantValidity;
    private readonly ILogger _logger;

    /// <summary>Creates a recorder.</summary>
    /// <param name="store">The approval store.</param>
    /// <param name="audit">The audit log.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="grantValidity">How long a grant stays usable.</param>
    /// <param name="logger">A logger, or none.</param>
    public ReviewRecorder(IApprovalStore store, IAuditLog audit, TimeProvider timeProvider, TimeSpan grantValidity, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(grantValidity, TimeSpan.Zero);
        _store = store;
        _audit = audit;
        _timeProvider = timeProvider;
        _grantValidity = grantValidity;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Records one reviewer's decision.</summary>
    /// <param name="approvalId">The approval request.</param>
    /// <param name="reviewer">The reviewer's identity.</param>
    /// <param name="approve"><see langword="true"/> to approve, <see langword="false"/> to deny.</param>
    /// <param name="comment">The reviewer's verbatim comment.</param>
    /// <param name="source">Where the decision came from, for example <c>console</c>.</param>
    /// <param name="roles">The roles the reviewer holds.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>What the store did with the decision.</returns>
    /// <exception cref="ArgumentException">The approval id, reviewer or source is empty.</exception>
    public async ValueTask<DecisionResult> DecideAsync(
        string approvalId,
        string reviewer,
        bool approve,
        string? comment,
        string source,
        IReadOnlyList<string>? roles = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(approvalId);
        ArgumentException.ThrowIfNullOrWhiteSpace(reviewer);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);

        var now = _timeProvider.GetUtcNow();
        var decision = new ReviewerDecision(reviewer.Trim(), approve, string.IsNullOrWhiteSpace(comment) ? null : comment, now, source)
        {
            Roles = roles ?? [],
        };
        var result = await _store.RecordDecisionAsync(approvalId, decision, now + _grantValidity, cancellationToken).ConfigureAwait(false);
        if (result.Request is not { } request)
        {
            return result;
        }

        var entry = new AuditEntry
        {
            Timestamp = now,
            Kind = AuditEventKind.Decided,
            ActionId = request.ActionId,
            ToolName = request.ToolName,
            AgentId = request.AgentId,
            SessionId = request.SessionId,
            RequestedBy = request.RequestedBy,
            PayloadHash = request.PayloadHash,
            ApprovalId = request.Id,
            NeededApproval = true,
            Approved = result.IsRecorded ? approve : null,
            DecisionSource = source,
            Actor = decision.Reviewer,
            Comment = decision.Comment,
            Verdict = result.IsRecorded ? StatusText(request.Status) : "rejected_decision",
            Reasons = result.IsRecorded ? [] : [$"decision not recorded: {CountersignEnvironment.ToSnakeCase(result.Kind.ToString())}"],
        };

        try
        {
            await _audit.AppendAsync([entry], cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The decision is already durable; an audit failure is reported, never thrown at the reviewer.
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            // The decision itself is durable in the store; the gate audits the grant again before anything runs.
            ReviewLog.AuditFailed(_logger, ex, request.Id);
        }

        return result;
    }

    internal static string StatusText(ApprovalStatus status) => status switch
    {
        ApprovalStatus.Pending => "pending",
        ApprovalStatus.Granted => "granted",
        ApprovalStatus.Denied => "denied",
        ApprovalStatus.Expired => "expired",
        _ => "consumed",
    };
}
