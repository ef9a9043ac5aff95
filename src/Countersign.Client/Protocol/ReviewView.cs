namespace Countersign.Client.Protocol;

/// <summary>One reviewer's review of an approval.</summary>
/// <param name="Reviewer">The reviewer.</param>
/// <param name="Approved">Whether the reviewer approved.</param>
/// <param name="Comment">The reviewer's comment.</param>
/// <param name="DecidedAt">When the reviewer decided.</param>
/// <param name="Source">Where the review came from, for example <c>api</c> or <c>web</c>.</param>
public sealed record ReviewView(string Reviewer, bool Approved, string? Comment, DateTimeOffset DecidedAt, string Source);
