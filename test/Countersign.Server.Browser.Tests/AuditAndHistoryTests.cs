using Countersign.Server.Browser.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Countersign.Server.Browser.Tests;

[Collection(BrowserTestGroup.Name)]
public sealed class AuditAndHistoryTests(BrowserFixture browser, ServerFixture server)
{
    [Fact]
    public async Task History_lists_decided_approvals_with_who_decided_and_filters_by_status()
    {
        var host = server.Host;
        await using var bob = await Reviewer.SignInAsync(browser.Browser, host, "bob");
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var approved = host.SubmitAsync("history-ok-" + suffix);
        await bob.Card("history-ok-" + suffix).GetByTestId("approve").ClickAsync();
        await approved;
        var denied = host.SubmitAsync("history-no-" + suffix);
        await bob.Card("history-no-" + suffix).GetByTestId("comment").FillAsync("too risky");
        await bob.Card("history-no-" + suffix).GetByTestId("deny").ClickAsync();
        await denied;

        await bob.Page.GotoAsync(host.Url("/Countersign/History"));
        await bob.Page.GetByLabel("Status").SelectOptionAsync("denied");
        await bob.Page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();

        var table = bob.Page.GetByTestId("history");
        await Expect(table.GetByText("history-no-" + suffix)).ToBeVisibleAsync();
        await Expect(table.GetByText("history-ok-" + suffix)).ToHaveCountAsync(0);
        await Expect(table.Locator("tr", new() { HasText = "history-no-" + suffix })).ToContainTextAsync("bob denied via web");
        await Expect(table.Locator("tr", new() { HasText = "history-no-" + suffix }).GetByTestId("history-comment")).ToHaveTextAsync("too risky");
    }

    [Fact]
    public async Task Verifying_an_intact_chain_says_so_and_a_tampered_entry_is_pointed_out()
    {
        await using var host = await CountersignTestHost.StartAsync(users: ["alice"]);
        await using var alice = await Reviewer.SignInAsync(browser.Browser, host, "alice");
        for (var i = 0; i < 3; i++)
        {
            var call = host.SubmitAsync("audited-" + i);
            await alice.Card("audited-" + i).GetByTestId("deny").ClickAsync();
            await call;
        }

        await alice.Page.GotoAsync(host.Url("/Countersign/Audit"));
        await alice.Page.GetByTestId("verify").ClickAsync();
        await Expect(alice.Page.GetByTestId("verify-result")).ToContainTextAsync("Chain verified");

        await using (var connection = new SqliteConnection($"Data Source={host.DatabasePath}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            // Someone with write access to the file drops the append-only guard and edits an entry.
            command.CommandText = "DROP TRIGGER audit_entries_no_update; UPDATE audit_entries SET entry = replace(entry, 'audited-1', 'audited-X') WHERE entry LIKE '%audited-1%'";
            Assert.True(await command.ExecuteNonQueryAsync() > 0);
        }

        var firstTampered = await FirstSequenceOfToolAsync(host, "audited-X");
        await alice.Page.GetByTestId("verify").ClickAsync();

        await Expect(alice.Page.GetByTestId("verify-result")).ToContainTextAsync($"Chain BROKEN at entry #{firstTampered}");
        await Expect(alice.Page.Locator($"tr[data-sequence='{firstTampered}']")).ToHaveClassAsync("broken");
    }

    [Fact]
    public async Task The_audit_view_filters_by_kind_and_actor()
    {
        var host = server.Host;
        await using var carol = await Reviewer.SignInAsync(browser.Browser, host, "carol");
        var tool = "audit-filter-" + Guid.NewGuid().ToString("N")[..6];
        var call = host.SubmitAsync(tool);
        await carol.Card(tool).GetByTestId("approve").ClickAsync();
        await call;

        await carol.Page.GotoAsync(host.Url("/Countersign/Audit"));
        await carol.Page.GetByLabel("Kind").SelectOptionAsync("Reviewed");
        await carol.Page.GetByLabel("Tool").FillAsync(tool);
        await carol.Page.GetByLabel("Actor").FillAsync("carol");
        await carol.Page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();

        var rows = carol.Page.GetByTestId("audit").Locator("tbody tr");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows).ToContainTextAsync("Reviewed");
        await Expect(rows).ToContainTextAsync("granted");
    }

    private static async Task<long> FirstSequenceOfToolAsync(CountersignTestHost host, string tool)
    {
        await foreach (var record in host.Gate.AuditLog.ReadAsync())
        {
            if (record.Entry.ToolName == tool)
            {
                return record.Sequence;
            }
        }

        throw new InvalidOperationException("No entry of " + tool);
    }
}
