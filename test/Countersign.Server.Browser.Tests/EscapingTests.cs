using Countersign.Server.Browser.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Countersign.Server.Browser.Tests;

[Collection(BrowserTestGroup.Name)]
public sealed class EscapingTests(BrowserFixture browser, ServerFixture server)
{
    private CountersignTestHost Host => server.Host;

    [Fact]
    public async Task Script_payloads_in_the_tool_name_description_arguments_and_comment_render_as_text_everywhere()
    {
        await using var bob = await Reviewer.SignInAsync(browser.Browser, Host, "bob");
        var dialogs = new List<string>();
        bob.Page.Dialog += (_, dialog) => dialogs.Add(dialog.Message);
        var tool = "<script>window.pwned='tool'</script>" + Guid.NewGuid().ToString("N")[..6];
        const string description = "<img src=x onerror=\"window.pwned='description'\">";
        const string argument = "\"><svg onload=alert('arguments')>";
        const string comment = "</q><script>window.pwned='comment'</script>";

        var call = Host.SubmitAsync(tool, new { note = argument }, description);

        var card = bob.Card(tool);
        await Expect(card.GetByTestId("tool")).ToHaveTextAsync(tool);
        await Expect(card.GetByTestId("description")).ToHaveTextAsync(description);
        await Expect(card.GetByTestId("arguments")).ToContainTextAsync(argument);
        Assert.Equal(0, await card.Locator("img, svg, script").CountAsync());
        await card.GetByTestId("comment").FillAsync(comment);
        await card.GetByTestId("deny").ClickAsync();
        Assert.Equal(comment, Assert.IsType<ActionDeniedException>((await call).Rejection).ReviewerComment);

        await bob.Page.GotoAsync(Host.Url("/Countersign/History?tool=" + Uri.EscapeDataString(tool)));
        var row = bob.Page.GetByTestId("history").Locator("tbody tr");
        await Expect(row.GetByTestId("history-tool")).ToHaveTextAsync(tool);
        await Expect(row.GetByTestId("history-comment")).ToHaveTextAsync(comment);

        await bob.Page.GotoAsync(Host.Url("/Countersign/Audit?kind=Reviewed&tool=" + Uri.EscapeDataString(tool)));
        await Expect(bob.Page.GetByTestId("audit-comment").First).ToHaveTextAsync(comment);

        Assert.Null(await bob.Page.EvaluateAsync<string?>("() => window.pwned ?? null"));
        Assert.Empty(dialogs);
    }

    [Fact]
    public async Task Control_and_bidi_characters_from_an_agent_are_shown_as_visible_escapes()
    {
        await using var bob = await Reviewer.SignInAsync(browser.Browser, Host, "bob");
        var tool = "transfer-" + Guid.NewGuid().ToString("N")[..6];

        var call = Host.SubmitAsync(tool, new { to = "acct\u202Efdp.exe" }, "line one\nAPPROVED BY SECURITY\u001b[2J");

        var card = bob.Card(tool);
        await Expect(card.GetByTestId("description")).ToHaveTextAsync("line one\\nAPPROVED BY SECURITY\\u001B[2J");
        await Expect(card.GetByTestId("arguments")).ToContainTextAsync("acct\\u202Efdp.exe");
        await card.GetByTestId("deny").ClickAsync();
        await call;
    }
}
