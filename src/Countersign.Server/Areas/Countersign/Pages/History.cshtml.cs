using Countersign.Approvals;
using Countersign.Server.Ui;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Countersign.Server.Ui.Pages;

/// <summary>Resolved approvals, newest first, filtered by status, tool, agent and risk, a page at a time (keyset).</summary>
internal sealed class HistoryModel(IApprovalStore store, TimeProvider clock) : PageModel
{
    public const int PageSize = 50;

    public static IReadOnlyList<string> StatusChoices { get; } = ["granted", "denied", "expired", "consumed"];

    public string? Status { get; private set; }

    public string? Tool { get; private set; }

    public string? Agent { get; private set; }

    public string? Risk { get; private set; }

    public string? Problem { get; private set; }

    public string? NextCursor { get; private set; }

    public IReadOnlyList<ApprovalCard> Cards { get; private set; } = [];

    public async Task OnGetAsync(string? status, string? tool, string? agent, string? risk, string? after)
    {
        Status = StatusChoices.Contains(status) ? status : null;
        Tool = QueryText.Filter(tool, 256);
        Agent = QueryText.Filter(agent, 200);
        Risk = Enum.TryParse<RiskLevel>(risk, ignoreCase: true, out var minimum) && Enum.IsDefined(minimum) ? minimum.ToString() : null;
        ApprovalCursor? cursor = null;
        if (!string.IsNullOrEmpty(after) && !ApprovalCursor.TryParse(after, out cursor))
        {
            Problem = "The page link is not valid; showing the newest approvals.";
        }

        var query = new ApprovalQuery
        {
            Statuses = Status is null ? ApprovalQuery.ResolvedStatuses : [Enum.Parse<ApprovalStatus>(Status, ignoreCase: true)],
            ToolName = Tool,
            AgentId = Agent,
            MinimumRisk = Risk is null ? null : minimum,
            PageSize = PageSize,
            After = cursor,
        };
        var page = await store.QueryAsync(query, clock.GetUtcNow(), HttpContext.RequestAborted).ConfigureAwait(false);
        Cards = [.. page.Items.Select(ApprovalCard.From)];
        NextCursor = page.NextCursor?.ToToken();
    }
}
