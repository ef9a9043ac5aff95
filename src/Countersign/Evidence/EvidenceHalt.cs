namespace Countersign.Evidence;

/// <summary>A halt or a resume in an evidence report.</summary>
/// <param name="Event"><c>agent_halted</c> or <c>agent_resumed</c>.</param>
/// <param name="AgentId">The agent, or <c>*</c> for all.</param>
/// <param name="By">The operator (or <c>loops</c>, <c>contracts</c>).</param>
/// <param name="Reasons">Why, as given.</param>
/// <param name="At">When.</param>
public sealed record EvidenceHalt(string Event, string? AgentId, string? By, IReadOnlyList<string> Reasons, DateTimeOffset At);
