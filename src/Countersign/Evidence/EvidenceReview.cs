namespace Countersign.Evidence;

/// <summary>One reviewer's vote in an evidence report.</summary>
/// <param name="Reviewer">The reviewer's identity.</param>
/// <param name="Roles">The roles the reviewer held.</param>
/// <param name="Approved">Whether the vote approved (<see langword="null"/> for a vote the store refused).</param>
/// <param name="Comment">The reviewer's comment, verbatim.</param>
/// <param name="Source">Where it came from (<c>web</c>, <c>console</c>, ...).</param>
/// <param name="At">When.</param>
public sealed record EvidenceReview(string? Reviewer, IReadOnlyList<string> Roles, bool? Approved, string? Comment, string? Source, DateTimeOffset At);
