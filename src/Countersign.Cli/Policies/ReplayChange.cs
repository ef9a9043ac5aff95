namespace Countersign.Cli.Policies;

/// <summary>One replayed action whose verdict would change, or cannot be known.</summary>
internal sealed record ReplayChange(
    ReplayChangeKind Kind,
    long Sequence,
    string ActionId,
    string Tool,
    string? Agent,
    string Recorded,
    string Replayed,
    string Detail);
