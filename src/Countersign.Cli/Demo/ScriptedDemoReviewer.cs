using Countersign.Approvals;

namespace Countersign.Cli.Demo;

/// <summary>Plays the script's answers, for CI and for runs without a terminal.</summary>
internal sealed class ScriptedDemoReviewer : IDemoReviewer
{
    public string Name => "demo-reviewer";

    public DemoAnswer Decide(ApprovalRequest approval, DemoStep step) => step.ScriptedAnswer;
}
