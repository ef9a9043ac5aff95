namespace Countersign.Client.Protocol;

/// <summary>One page of <c>GET /v1/approvals</c>.</summary>
/// <param name="Items">The approvals.</param>
/// <param name="Next">The token for the next page (<c>?after=</c>), or <see langword="null"/> on the last page.</param>
/// <param name="FeedPosition">The change feed position the page was read at.</param>
public sealed record ApprovalPageView(IReadOnlyList<ApprovalView> Items, string? Next, long FeedPosition);
