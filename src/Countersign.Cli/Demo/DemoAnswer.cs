namespace Countersign.Cli.Demo;

/// <summary>What the reviewer does with one approval request in the demo.</summary>
internal enum DemoAnswerKind
{
    Approve,
    Deny,

    /// <summary>Nobody answers: the demo's clock skips past the review timeout.</summary>
    NoAnswer,
}

/// <summary>A reviewer's answer and comment.</summary>
internal sealed record DemoAnswer(DemoAnswerKind Kind, string? Comment = null)
{
    public static DemoAnswer NoAnswer { get; } = new(DemoAnswerKind.NoAnswer);
}
