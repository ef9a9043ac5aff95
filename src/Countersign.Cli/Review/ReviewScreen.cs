using System.Text;
using Countersign.Approvals;
using Countersign.Cli.CommandLine;
using Countersign.Cli.Terminal;
using Spectre.Console;

namespace Countersign.Cli.Review;

/// <summary>
/// The keyboard-driven reviewer screen: the pending requests, the selected one's details, approve and deny with a
/// comment. It redraws on a key, on a change in the store's feed (another process created or decided a request) and
/// every few seconds for the countdowns.
/// </summary>
internal sealed class ReviewScreen(CommandContext context, ICountersignStore store, IKeySource keys, string reviewer, IReadOnlyList<string> roles, string storeName)
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(5);
    private readonly IAnsiConsole _console = context.Console;
    private IReadOnlyList<ApprovalRequest> _pending = [];
    private int _selected;
    private string _status = "Waiting for requests.";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var changes = new SemaphoreSlim(0);
        var watcher = WatchAsync(changes, stop.Token);
        try
        {
            Task<ConsoleKeyInfo>? key = null;
            Task? changed = null;
            while (true)
            {
                // Listening before the first draw: a key pressed as soon as the screen appears is not lost.
                key ??= keys.ReadKeyAsync(stop.Token).AsTask();
                await RefreshAsync(stop.Token);
                Draw();
                changed ??= changes.WaitAsync(stop.Token);
                using var tick = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                var first = await Task.WhenAny(key, changed, Task.Delay(Tick, context.Host.TimeProvider, tick.Token));
                await tick.CancelAsync();
                if (changed.IsCompleted)
                {
                    changed = null;
                }

                if (first != key)
                {
                    continue;
                }

                var pressed = await key;
                key = null;
                if (!await HandleAsync(pressed, stop.Token))
                {
                    return;
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            await watcher;
            _console.Clear();
        }
    }

    private async Task WatchAsync(SemaphoreSlim changes, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var _ in store.Approvals.WatchAsync(null, cancellationToken))
            {
                changes.Release();
            }
        }
        catch (OperationCanceledException)
        {
            // The screen closed.
        }
        catch (CountersignStoreException failure)
        {
            _status = "Live updates stopped: " + failure.Message;
        }
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        _pending = await PendingApprovals.ListAsync(store.Approvals, context.Host.TimeProvider.GetUtcNow(), cancellationToken);
        _selected = Math.Clamp(_selected, 0, Math.Max(0, _pending.Count - 1));
    }

    /// <returns><see langword="false"/> to leave the screen.</returns>
    private async Task<bool> HandleAsync(ConsoleKeyInfo key, CancellationToken cancellationToken)
    {
        switch (key.Key)
        {
            case ConsoleKey.Q or ConsoleKey.Escape:
                return false;
            case ConsoleKey.UpArrow or ConsoleKey.K:
                _selected = Math.Max(0, _selected - 1);
                break;
            case ConsoleKey.DownArrow or ConsoleKey.J:
                _selected = Math.Min(Math.Max(0, _pending.Count - 1), _selected + 1);
                break;
            case ConsoleKey.A or ConsoleKey.D when _pending.Count > 0:
                await DecideAsync(_pending[_selected], approve: key.Key == ConsoleKey.A, cancellationToken);
                break;
            case ConsoleKey.R:
                _status = "Refreshed.";
                break;
        }

        return true;
    }

    private async Task DecideAsync(ApprovalRequest approval, bool approve, CancellationToken cancellationToken)
    {
        var prompt = approve ? "Approve: comment (optional), Enter to confirm, Esc to cancel" : "Deny: comment for the agent (required), Enter to confirm, Esc to cancel";
        var comment = await ReadLineAsync(prompt, cancellationToken);
        if (comment is null)
        {
            _status = "Cancelled.";
            return;
        }

        if (!approve && comment.Length == 0)
        {
            _status = "A denial needs a comment: the agent is told why.";
            return;
        }

        var result = await ReviewDecision.RecordAsync(store, context.Host.TimeProvider, approval.Id, approve, reviewer, comment.Length == 0 ? null : comment, roles, cancellationToken);
        _status = ReviewDecision.Describe(result, approval.Id);
    }

    /// <summary>A small line editor over the key source; <see langword="null"/> when cancelled with Esc.</summary>
    private async Task<string?> ReadLineAsync(string prompt, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        while (true)
        {
            Draw(prompt + "\n> " + text);
            var key = await keys.ReadKeyAsync(cancellationToken);
            switch (key.Key)
            {
                case ConsoleKey.Enter:
                    return text.ToString().Trim();
                case ConsoleKey.Escape:
                    return null;
                case ConsoleKey.Backspace when text.Length > 0:
                    text.Length--;
                    break;
                default:
                    if (!char.IsControl(key.KeyChar) && text.Length < ReviewerOptions.MaxCommentLength)
                    {
                        text.Append(key.KeyChar);
                    }

                    break;
            }
        }
    }

    private void Draw(string? input = null)
    {
        var now = context.Host.TimeProvider.GetUtcNow();
        _console.Clear();
        _console.Write(new Rule($"[bold]countersign review[/] - reviewer [bold]{TerminalText.Markup(reviewer, 80)}[/] - {Markup.Escape(storeName)}").LeftJustified());
        if (_pending.Count == 0)
        {
            _console.MarkupLine("Nothing is waiting for a reviewer. New requests appear here as they arrive.");
        }
        else
        {
            var table = new Table().Border(TableBorder.Simple).AddColumn(string.Empty).AddColumn("tool").AddColumn("agent").AddColumn("risk").AddColumn("expires").AddColumn("id");
            for (var i = 0; i < _pending.Count; i++)
            {
                var approval = _pending[i];
                var marker = i == _selected ? "[bold]>[/]" : " ";
                table.AddRow(
                    new Markup(marker),
                    TerminalText.Cell(approval.ToolName, 60),
                    TerminalText.Cell(approval.AgentId ?? approval.RequestedBy, 40),
                    new Markup(ApprovalView.RiskMarkup(approval.Risk)),
                    new Spectre.Console.Text(ApprovalView.Remaining(approval.ExpiresAt - now)),
                    new Spectre.Console.Text(approval.Id));
            }

            _console.Write(table);
            _console.Write(ApprovalView.Details(_pending[_selected], now));
        }

        _console.MarkupLine("[grey]up/down (j/k) select - a approve - d deny - r refresh - q quit[/]");
        _console.MarkupLine(TerminalText.Markup(_status, 500));
        if (input is not null)
        {
            _console.WriteLine(input);
        }
    }
}
