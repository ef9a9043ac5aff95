using Countersign.Approvals;
using Countersign.Cli.Terminal;
using Countersign.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Spectre.Console;

namespace Countersign.Cli.Demo;

/// <summary>
/// Runs the demo's script through a real gate on a SQLite file: each action is proposed, decided by policy or by the
/// reviewer, and its result shown; the clock is the demo's own, so a review timeout passes in an instant.
/// </summary>
internal sealed class DemoRunner(IAnsiConsole console, IDemoReviewer reviewer, bool narrate)
{
    private int _refundsPaid;

    public int RefundsPaid => _refundsPaid;

    public async Task<IReadOnlyList<DemoResult>> RunAsync(SqliteStore store, DateTimeOffset start, CancellationToken cancellationToken)
    {
        // The demo's own clock: it stands still unless the demo moves it, so "nobody answered for 30 seconds" takes no time.
        var clock = new FakeTimeProvider(start);
        await using var gate = new ActionGateBuilder()
            .UsePolicy(DemoPolicy.Load())
            .UseSqlite(store)
            .UseTimeProvider(clock)
            .Configure(options =>
            {
                options.ReadEnvironment = false;
                options.EnforcementMode = EnforcementMode.Enforce;
            })
            .Build();

        var runId = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4));
        var steps = DemoScript.Create(runId, () => Interlocked.Increment(ref _refundsPaid));
        var results = new List<DemoResult>();
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            if (narrate)
            {
                console.WriteLine();
                console.Write(new Rule($"[bold]Step {i + 1} of {steps.Count}: {Markup.Escape(step.Title)}[/]").LeftJustified());
                console.MarkupLine($"[grey]{Markup.Escape(step.Narration)}[/]");
                console.MarkupLine($"Agent proposes [bold]{TerminalText.Markup(step.Request.ToolName)}[/] {TerminalText.Markup(step.Request.Arguments.GetRawText(), 300)}");
            }

            results.Add(await RunStepAsync(gate, store, clock, i + 1, step, step.Request, cancellationToken).ConfigureAwait(false));
            if (step.RetriedByAgent)
            {
                if (narrate)
                {
                    console.MarkupLine($"Agent retries the same call with idempotency key [bold]{TerminalText.Markup(step.Request.IdempotencyKey)}[/]");
                }

                results.Add(await RunStepAsync(gate, store, clock, i + 1, step, step.Request, cancellationToken).ConfigureAwait(false));
                if (narrate)
                {
                    console.MarkupLine($"Refunds actually paid: [bold]{RefundsPaid}[/]");
                }
            }
        }

        return results;
    }

    private async Task<DemoResult> RunStepAsync(ActionGate gate, SqliteStore store, FakeTimeProvider clock, int number, DemoStep step, ActionRequest request, CancellationToken cancellationToken)
    {
        var policy = gate.Evaluate(request);
        var requested = new TaskCompletionSource<ApprovalRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = new GateCallOptions
        {
            OnApprovalRequested = arguments =>
            {
                requested.TrySetResult(arguments.Approval);
                return ValueTask.CompletedTask;
            },
        };

        var call = gate.ExecuteOutcomeAsync(request, _ => ValueTask.FromResult(step.Perform()), options, cancellationToken);
        var reviewerColumn = "-";
        if (await Task.WhenAny(call, requested.Task).ConfigureAwait(false) == requested.Task)
        {
            var approval = requested.Task.Result;
            if (narrate)
            {
                console.MarkupLine("[yellow]Held for a human.[/] The reviewer sees (agent text neutralised, redacted fields masked):");
                console.Write(ApprovalView.Details(approval, clock.GetUtcNow()));
            }

            reviewerColumn = await AnswerAsync(gate, clock, approval, step, cancellationToken).ConfigureAwait(false);
        }

        var outcome = await call.ConfigureAwait(false);
        var message = outcome.ToAgentMessage();
        var result = new DemoResult
        {
            Step = number,
            Tool = request.ToolName,
            Policy = PolicyText(policy.Effect),
            Reviewer = reviewerColumn,
            Outcome = outcome.Kind switch
            {
                GateOutcomeKind.Executed when outcome.ReplayOf is not null => "recognised duplicate: not run again",
                GateOutcomeKind.Executed => "ran",
                GateOutcomeKind.Pending => "pending",
                _ => "denied",
            },
            AgentMessage = message,
            ActionId = outcome.ActionId,
        };

        if (narrate)
        {
            var colour = outcome.Kind == GateOutcomeKind.Executed ? "green" : "red";
            console.MarkupLine($"[{colour}]{Markup.Escape(result.Outcome)}[/] - the agent receives: [italic]{TerminalText.Markup(message, 400)}[/]");
        }

        if (step.ShowStoredCopy && narrate)
        {
            await ShowStoredCopyAsync(store, outcome.ActionId, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    private async Task<string> AnswerAsync(ActionGate gate, FakeTimeProvider clock, ApprovalRequest approval, DemoStep step, CancellationToken cancellationToken)
    {
        var answer = reviewer.Decide(approval, step);
        switch (answer.Kind)
        {
            case DemoAnswerKind.Approve:
                await gate.Reviews.ApproveAsync(approval.Id, reviewer.Name, "cli", answer.Comment, cancellationToken: cancellationToken).ConfigureAwait(false);
                return $"approved by {reviewer.Name}";
            case DemoAnswerKind.Deny:
                await gate.Reviews.DenyAsync(approval.Id, reviewer.Name, "cli", answer.Comment, cancellationToken: cancellationToken).ConfigureAwait(false);
                return answer.Comment is null ? $"denied by {reviewer.Name}" : $"denied by {reviewer.Name}: \"{answer.Comment}\"";
            default:
                var wait = approval.ExpiresAt - clock.GetUtcNow() + TimeSpan.FromSeconds(1);
                if (narrate)
                {
                    console.MarkupLine($"[grey]Skipping the demo clock ahead {wait.TotalSeconds:0} seconds...[/]");
                }

                clock.Advance(wait);
                return "no answer: timed out";
        }
    }

    private async Task ShowStoredCopyAsync(SqliteStore store, string actionId, CancellationToken cancellationToken)
    {
        // Read back what is on disk, not what is in memory: the audit entry and the approval row.
        await foreach (var record in store.AuditLog.ReadAsync(0, cancellationToken).ConfigureAwait(false))
        {
            if (record.Entry.ActionId == actionId && record.Entry.ArgumentsJson is { } stored)
            {
                console.MarkupLine($"Read back from audit entry #{record.Sequence} ({record.Entry.Kind}): [magenta]{TerminalText.Markup(stored, 400)}[/]");
                break;
            }
        }

        var approval = await store.Approvals.FindByActionIdAsync(actionId, cancellationToken).ConfigureAwait(false);
        if (approval is not null)
        {
            console.MarkupLine($"Read back from the approval store: [magenta]{TerminalText.Markup(approval.RedactedArgumentsJson, 400)}[/]");
        }

        console.MarkupLine("[grey]The SSN and card number never reached the disk; the payload hash still covers them, so the approval binds the real values.[/]");
    }

    private static string PolicyText(Policy.PolicyEffect effect) => effect switch
    {
        Policy.PolicyEffect.Allow => "allow",
        Policy.PolicyEffect.Deny => "deny",
        _ => "needs approval",
    };
}
