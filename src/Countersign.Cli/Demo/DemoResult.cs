namespace Countersign.Cli.Demo;

/// <summary>What happened to one action of the demo: a row of its summary table.</summary>
internal sealed record DemoResult
{
    public required int Step { get; init; }

    public required string Tool { get; init; }

    public required string Policy { get; init; }

    public required string Reviewer { get; init; }

    public required string Outcome { get; init; }

    public required string AgentMessage { get; init; }

    public required string ActionId { get; init; }
}
