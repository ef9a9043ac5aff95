namespace Countersign.Approvals;

/// <summary>One reviewer's answer to an approval request.</summary>
/// <param name="Reviewer">The reviewer's identity; never the requester's nor the agent's.</param>
/// <param name="Approved"><see langword="true"/> to approve, <see langword="false"/> to deny.</param>
/// <param name="Comment">The reviewer's verbatim comment, if any.</param>
/// <param name="DecidedAt">When the reviewer decided.</param>
/// <param name="Source">Where the decision came from, for example <c>console</c>, <c>web</c> or <c>slack</c>.</param>
public sealed record Review(
    string Reviewer,
    bool Approved,
    string? Comment,
    DateTimeOffset DecidedAt,
    string Source)
{
    /// <summary>Gets the roles the reviewer holds; checked against the rule's allowed reviewer roles.</summary>
    public IReadOnlyList<string> Roles { get; init; } = [];
}
