namespace Countersign.Cli.Demo;

/// <summary>One action the demo's scripted agent proposes, what it shows, and how the scripted reviewer answers.</summary>
internal sealed record DemoStep
{
    public required string Title { get; init; }

    public required string Narration { get; init; }

    public required ActionRequest Request { get; init; }

    /// <summary>Gets what the action returns when it runs.</summary>
    public required Func<string> Perform { get; init; }

    /// <summary>Gets the scripted reviewer's answer, and the suggestion given to a person at the terminal.</summary>
    public DemoAnswer ScriptedAnswer { get; init; } = DemoAnswer.NoAnswer;

    /// <summary>Gets whether the agent sends the same call again afterwards, with the same idempotency key.</summary>
    public bool RetriedByAgent { get; init; }

    /// <summary>Gets whether the demo reads the stored copy back afterwards to show its masked fields.</summary>
    public bool ShowStoredCopy { get; init; }
}
