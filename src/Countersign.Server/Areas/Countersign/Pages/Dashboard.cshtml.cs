using System.Globalization;
using Countersign.Approvals;
using Countersign.Server.Ui;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Countersign.Server.Ui.Pages;

/// <summary>Decisions per minute, would-block rates, pending count, approval latency and the busiest tools and rules.</summary>
internal sealed class DashboardModel(DashboardStatistics statistics, IApprovalStore store, TimeProvider clock) : PageModel
{
    public DashboardSnapshot Snapshot { get; private set; } = null!;

    public string PendingText { get; private set; } = "0";

    public long DecisionsLastMinutes => Snapshot.PerMinute.Sum(static m => m.Counts.Sum());

    public SvgChart PerMinuteChart => SvgCharts.StackedPerMinute(Snapshot.PerMinute);

    public SvgChart ToolsChart => SvgCharts.HorizontalBars(Snapshot.BusiestTools);

    public SvgChart RulesChart => SvgCharts.HorizontalBars(Snapshot.BusiestRules);

    public async Task OnGetAsync()
    {
        Snapshot = await statistics.ReadAsync(HttpContext.RequestAborted).ConfigureAwait(false);
        var pending = await store.QueryAsync(
            new ApprovalQuery { Statuses = [ApprovalStatus.Pending], PageSize = ApprovalQuery.MaxPageSize },
            clock.GetUtcNow(),
            HttpContext.RequestAborted).ConfigureAwait(false);
        PendingText = pending.Items.Count.ToString(CultureInfo.InvariantCulture) + (pending.NextCursor is null ? string.Empty : "+");
    }

    public string WouldBlockRate(string mode) =>
        Snapshot.WouldBlock.TryGetValue(mode, out var counts) && counts.Calls > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{counts.WouldBlock * 100.0 / counts.Calls:0.#}% of {counts.Calls}")
            : "—";

    public static string Duration(TimeSpan? value) => value switch
    {
        null => "—",
        { TotalSeconds: < 60 } v => string.Create(CultureInfo.InvariantCulture, $"{v.TotalSeconds:0.#} s"),
        { TotalMinutes: < 60 } v => string.Create(CultureInfo.InvariantCulture, $"{v.TotalMinutes:0.#} min"),
        var v => string.Create(CultureInfo.InvariantCulture, $"{v.Value.TotalHours:0.#} h"),
    };
}
