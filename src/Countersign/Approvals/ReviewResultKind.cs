namespace Countersign.Approvals;

/// <summary>What happened when a reviewer's decision was offered to the store.</summary>
public enum ReviewResultKind
{
    /// <summary>The decision was recorded; <see cref="ReviewResult.Request"/> shows the new state.</summary>
    Recorded = 0,

    /// <summary>No request has that identifier.</summary>
    NotFound = 1,

    /// <summary>The request was already granted, denied, expired or consumed.</summary>
    AlreadyResolved = 2,

    /// <summary>The reviewer is named on the request as its requester or its agent; nobody approves their own call.</summary>
    SelfApproval = 3,

    /// <summary>The reviewer already decided on this request (letter case and surrounding spaces ignored); a quorum needs distinct reviewers.</summary>
    DuplicateReviewer = 4,

    /// <summary>The reviewer holds none of the roles allowed to review this request.</summary>
    RoleNotAllowed = 5,

    /// <summary>The request's timeout passed before the decision arrived.</summary>
    Expired = 6,
}
