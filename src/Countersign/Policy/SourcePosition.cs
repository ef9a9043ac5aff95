namespace Countersign.Policy;

/// <summary>Where a node starts in a policy file: one-based line and column.</summary>
internal readonly record struct SourcePosition(int Line, int Column);
