using Countersign.Server.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Countersign.Server.Browser.Tests;

[Collection(BrowserTestGroup.Name)]
public sealed class DashboardTests(BrowserFixture browser)
{
    [Fact]
    public async Task The_dashboard_charts_decisions_and_shows_pending_count_latency_and_busiest_tools()
    {
        await using var host = await CountersignTestHost.StartAsync(users: ["bob", "victor"]);
        await using var bob = await Reviewer.SignInAsync(browser.Browser, host, "bob");
        var approved = host.SubmitAsync("deploy");
        await bob.Card("deploy").GetByTestId("approve").ClickAsync();
        await approved;
        var denied = host.SubmitAsync("deploy");
        await bob.Card("deploy").GetByTestId("deny").ClickAsync();
        await denied;
        _ = host.SubmitAsync("rollback");
        await Expect(bob.Card("rollback")).ToBeVisibleAsync();

        await using var victor = await Reviewer.SignInAsync(browser.Browser, host, "victor");
        await victor.Page.GotoAsync(host.Url("/Countersign/Dashboard"));

        await Expect(victor.Page.GetByTestId("tile-pending")).ToHaveTextAsync("1");
        await Expect(victor.Page.GetByTestId("tile-p50")).ToContainTextAsync(" s");
        await Expect(victor.Page.GetByTestId("tile-p95")).ToContainTextAsync(" s");
        await Expect(victor.Page.GetByTestId("chart-per-minute").Locator("svg rect.bar-1")).Not.ToHaveCountAsync(0);
        await Expect(victor.Page.GetByTestId("chart-per-minute").Locator("svg rect.bar-2")).Not.ToHaveCountAsync(0);
        await Expect(victor.Page.GetByTestId("chart-tools").Locator("svg text").First).ToHaveTextAsync("deploy");
    }
}
