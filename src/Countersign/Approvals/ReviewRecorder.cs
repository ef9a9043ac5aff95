using Countersign.Audit;
using Countersign.Pipeline;
using Countersign.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Countersign.Approvals;

/// <summary>
/// The one way reviews enter the system, whatever the channel (console, web, Slack, CLI): records the review in the
/// store, which enforces separation of duties and quorums, then writes a <see cref="AuditEventKind.Reviewed"/> entry.
/// </summary>
public sealed class ReviewRecorder
{
    private readonly IApprovalStore _store;
    private readonly IAuditLog _audit;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _grantValidity;
    private readonly ILogger _logger;

    /// <summary>Creates a recorder, for a reviewer process that shares the gate's store without running a gate.</summary>
    /// <param name="store">The approval store.</param>
    /// <param name="audit">The audit log.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="grantValidity">
    /// How long a grant stays usable when the approval does not say: an approval created by a gate carries the gate's
    /// <see cref="CountersignOptions.GrantValidity"/>, which wins. <see langword="null"/> uses the default of that option.
    /// </param>
    /// <param name="logger">A logger, or none.</param>
    public ReviewRecorder(IApprovalStore store, IAuditLog audit, TimeProvider timeProvider, TimeSpan? grantValidity = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var validity = grantValidity ?? new CountersignOptions().GrantValidity;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(validity, TimeSpan.Zero, nameof(grantValidity));
        _store = store;
        _audit = audit;
        _timeProvider = timeProvider;
        _grantValidity = validity;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Gets how long a grant made through this recorder stays usable when the approval carries no validity of its own.</summary>
    public TimeSpan GrantValidity => _grantValidity;

    /// <summary>Records an approval by <paramref name="reviewer"/>.</summary>
    /// <param name="approvalId">The approval.</param>
    /// <param name="reviewer">The reviewer's identity.</param>
    /// <param name="source">Where the review came from, for example <c>web</c>.</param>
    /// <param name="comment">The reviewer's verbatim comment.</param>
    /// <param name="roles">The roles the reviewer holds.</param>
    /// <param name="cancellationToken">Cancels the operation before the review is recorded.</param>
    /// <returns>What the store did with the review.</returns>
    public ValueTask<ReviewResult> ApproveAsync(string approvalId, string reviewer, string source, string? comment = null, IReadOnlyList<string>? roles = null, CancellationToken cancellationToken = default) =>
        DecideAsync(approvalId, reviewer, approve: true, comment, source, roles, cancellationToken);

    /// <summary>Records a denial by <paramref name="reviewer"/>; one denial resolves the approval as denied.</summary>
    /// <param name="approvalId">The approval.</param>
    /// <param name="reviewer">The reviewer's identity.</param>
    /// <param name="source">Where the review came from, for example <c>web</c>.</param>
    /// <param name="comment">The reviewer's verbatim comment, handed to the agent.</param>
    /// <param name="roles">The roles the reviewer holds.</param>
    /// <param name="cancellationToken">Cancels the operation before the review is recorded.</param>
    /// <returns>What the store did with the review.</returns>
    public ValueTask<ReviewResult> DenyAsync(string approvalId, string reviewer, string source, string? comment = null, IReadOnlyList<string>? roles = null, CancellationToken cancellationToken = default) =>
        DecideAsync(approvalId, reviewer, approve: false, comment, source, roles, cancellationToken);

    /// <summary>Records one reviewer's review.</summary>
    /// <param name="approvalId">The approval.</param>
    /// <param name="reviewer">The reviewer's identity.</param>
    /// <param name="approve"><see langword="true"/> to approve, <see langword="false"/> to deny.</param>
    /// <param name="comment">The reviewer's verbatim comment.</param>
    /// <param name="source">Where the review came from, for example <c>console</c>.</param>
    /// <param name="roles">The roles the reviewer holds.</param>
    /// <param name="cancellationToken">Cancels the operation before the review is recorded; once it is, its audit entry is written regardless.</param>
    /// <returns>What the store did with the review.</returns>
    /// <exception cref="ArgumentException">The approval id, reviewer or source is empty.</exception>
    public async ValueTask<ReviewResult> DecideAsync(
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
        var decision = new Review(reviewer.Trim(), approve, string.IsNullOrWhiteSpace(comment) ? null : comment, now, source)
        {
            Roles = roles ?? [],
        };
        var result = await _store.RecordReviewAsync(approvalId, decision, now + _grantValidity, cancellationToken).ConfigureAwait(false);
        if (result.Request is not { } request)
        {
            return result;
        }

        // A review that was recorded is always audited: the caller's token may be cancelled the moment the review
        // resolves the approval (the waiting gate stops its channels), so it must not cut the audit write short.
        try
        {
            await _audit.AppendAsync([GateEvents.Reviewed(request, decision, result)], CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The review is already durable; an audit failure is reported, never thrown at the reviewer.
        catch (Exception ex)
#pragma warning restore CA1031
        {
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
