using Countersign.Approvals;
using Countersign.Channels;

namespace Countersign.Testing;

/// <summary>
/// A channel whose reviewers answer by script, for unit tests of code that is guarded: each request is answered at
/// once through the same <see cref="ReviewRecorder"/> as a real reviewer (so quorum, roles and no self-approval hold,
/// and the decision is audited). A script that returns <see langword="null"/> leaves the request pending, to test
/// timeouts and fail-closed paths.
/// </summary>
public sealed class ScriptedReviewerChannel : IApprovalChannel
{
    private readonly Func<ApprovalRequest, IEnumerable<ScriptedReview>?> _script;
    private readonly List<ReviewResult> _results = [];

    /// <summary>Creates a channel where one reviewer answers each request.</summary>
    /// <param name="script">The answer to a request, or <see langword="null"/> to leave it pending.</param>
    public ScriptedReviewerChannel(Func<ApprovalRequest, ScriptedReview?> script)
    {
        ArgumentNullException.ThrowIfNull(script);
        _script = request => script(request) is { } review ? [review] : null;
    }

    /// <summary>Creates a channel where several reviewers answer each request, in order (for quorums).</summary>
    /// <param name="script">The answers to a request, or <see langword="null"/> to leave it pending.</param>
    public ScriptedReviewerChannel(Func<ApprovalRequest, IEnumerable<ScriptedReview>?> script)
    {
        ArgumentNullException.ThrowIfNull(script);
        _script = script;
    }

    /// <inheritdoc />
    public string Name => "scripted";

    /// <summary>Gets what the store made of each scripted answer, in order, so a test can check a refused vote.</summary>
    public IReadOnlyList<ReviewResult> Results
    {
        get
        {
            lock (_results)
            {
                return [.. _results];
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask NotifyAsync(ApprovalRequest request, ReviewRecorder reviews, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(reviews);
        foreach (var review in _script(request) ?? [])
        {
            var result = await reviews.DecideAsync(request.Id, review.Reviewer, review.Approve, review.Comment, Name, review.Roles, cancellationToken).ConfigureAwait(false);
            lock (_results)
            {
                _results.Add(result);
            }
        }
    }
}
