using Countersign.Approvals;

namespace Countersign.Cli.Demo;

/// <summary>Whoever answers the demo's approval requests: a person at the terminal, or the script.</summary>
internal interface IDemoReviewer
{
    /// <summary>Gets the reviewer's identity, recorded with each decision.</summary>
    string Name { get; }

    /// <summary>Decides on one request.</summary>
    DemoAnswer Decide(ApprovalRequest approval, DemoStep step);
}
