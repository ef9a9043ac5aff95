using Countersign.Server.Browser.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Countersign.Server.Browser.Tests;

[Collection(BrowserTestGroup.Name)]
public sealed class QueueTests(BrowserFixture browser, ServerFixture server)
{
    private CountersignTestHost Host => server.Host;

    [Fact]
    public async Task A_submitted_action_appears_in_the_open_queue_without_a_reload_and_approving_it_releases_the_waiting_call()
    {
        await using var bob = await Reviewer.SignInAsync(browser.Browser, Host, "bob");
        await bob.Page.EvaluateAsync("() => { window.notReloaded = true; }");
        var tool = "refund-" + Guid.NewGuid().ToString("N")[..8];

        var call = Host.SubmitAsync(tool, new { orderId = "ord_1002", amount = 4000 }, "Refund a customer's order");

        var card = bob.Card(tool);
        await Expect(card).ToBeVisibleAsync();
        await Expect(card.GetByTestId("description")).ToHaveTextAsync("Refund a customer's order");
        await Expect(card.GetByTestId("arguments")).ToContainTextAsync("\"amount\": 4000");
        await Expect(card.GetByTestId("requester")).ToHaveTextAsync("agent-owner");
        await Expect(card.GetByTestId("countdown")).ToContainTextAsync("expires in");
        Assert.True(await bob.Page.EvaluateAsync<bool>("() => window.notReloaded === true"));
        Assert.False(call.IsCompleted);

        await card.GetByTestId("approve").ClickAsync();

        var authorization = await call;
        Assert.True(authorization.IsAuthorized);
        await Expect(card).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Denying_with_a_comment_hands_the_comment_to_the_waiting_caller()
    {
        await using var bob = await Reviewer.SignInAsync(browser.Browser, Host, "bob");
        var tool = "delete-repo-" + Guid.NewGuid().ToString("N")[..8];
        var call = Host.SubmitAsync(tool, new { repo = "payments" });

        var card = bob.Card(tool);
        await card.GetByTestId("comment").FillAsync("Not on a Friday — open a change ticket first.");
        await card.GetByTestId("deny").ClickAsync();

        var authorization = await call;
        Assert.False(authorization.IsAuthorized);
        var denied = Assert.IsType<ActionDeniedException>(authorization.Rejection);
        Assert.Equal("bob", denied.Reviewer);
        Assert.Equal("Not on a Friday — open a change ticket first.", denied.ReviewerComment);
        await Expect(card).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_decision_by_one_reviewer_removes_the_approval_from_every_open_queue()
    {
        await using var bob = await Reviewer.SignInAsync(browser.Browser, Host, "bob");
        await using var carol = await Reviewer.SignInAsync(browser.Browser, Host, "carol");
        var tool = "rotate-keys-" + Guid.NewGuid().ToString("N")[..8];
        var call = Host.SubmitAsync(tool);

        await Expect(bob.Card(tool)).ToBeVisibleAsync();
        await Expect(carol.Card(tool)).ToBeVisibleAsync();

        await carol.Card(tool).GetByTestId("approve").ClickAsync();

        Assert.True((await call).IsAuthorized);
        await Expect(bob.Card(tool)).ToHaveCountAsync(0);
        await Expect(carol.Card(tool)).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Keyboard_shortcuts_move_between_approvals_and_decide_the_selected_one()
    {
        await using var bob = await Reviewer.SignInAsync(browser.Browser, Host, "bob");
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var first = Host.SubmitAsync("first-" + suffix);
        await Expect(bob.Card("first-" + suffix)).ToBeVisibleAsync();
        var second = Host.SubmitAsync("second-" + suffix);
        await Expect(bob.Card("second-" + suffix)).ToBeVisibleAsync();

        // Select the newest card (the last one), step up with k, down with j, and deny it with d.
        await bob.Card("second-" + suffix).ClickAsync(new() { Position = new() { X = 5, Y = 5 } });
        await Expect(bob.Card("second-" + suffix)).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("selected"));
        await bob.Page.Keyboard.PressAsync("k");
        await Expect(bob.Card("first-" + suffix)).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("selected"));
        await bob.Page.Keyboard.PressAsync("j");
        await Expect(bob.Card("second-" + suffix)).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("selected"));
        await bob.Page.Keyboard.PressAsync("d");
        Assert.False((await second).IsAuthorized);

        await bob.Card("first-" + suffix).ClickAsync(new() { Position = new() { X = 5, Y = 5 } });
        await bob.Page.Keyboard.PressAsync("a");
        Assert.True((await first).IsAuthorized);
    }

    [Fact]
    public async Task Nobody_approves_a_request_they_made_themselves()
    {
        await using var owner = await Reviewer.SignInAsync(browser.Browser, Host, "agent-owner");
        var tool = "wire-money-" + Guid.NewGuid().ToString("N")[..8];
        var call = Host.SubmitAsync(tool, requestedBy: "agent-owner");

        var card = owner.Card(tool);
        await card.GetByTestId("approve").ClickAsync();

        await Expect(card.GetByTestId("decide-message")).ToHaveTextAsync("You requested this action; someone else must review it.");
        Assert.False(call.IsCompleted);

        await using var bob = await Reviewer.SignInAsync(browser.Browser, Host, "bob");
        await bob.Card(tool).GetByTestId("deny").ClickAsync();
        Assert.False((await call).IsAuthorized);
    }

    [Fact]
    public async Task A_viewer_sees_the_queue_but_cannot_decide()
    {
        await using var victor = await Reviewer.SignInAsync(browser.Browser, Host, "victor");
        var tool = "drop-table-" + Guid.NewGuid().ToString("N")[..8];
        var call = Host.SubmitAsync(tool);

        var card = victor.Card(tool);
        await Expect(card).ToBeVisibleAsync();
        await Expect(card.GetByTestId("approve")).ToHaveCountAsync(0);

        // Posting the decision anyway, with a valid antiforgery token from the viewer's own page, is forbidden.
        var token = await victor.Page.Locator("input[name=__RequestVerificationToken]").First.InputValueAsync();
        var approvalId = await card.GetAttributeAsync("data-approval-id");
        var response = await victor.Page.APIRequest.PostAsync(Host.Url("/Countersign/Decide"), new()
        {
            Form = FormOf(victor.Page.APIRequest, ("id", approvalId!), ("verdict", "approve"), ("__RequestVerificationToken", token)),
            MaxRedirects = 0,
        });
        Assert.Equal(403, response.Status);
        Assert.False(call.IsCompleted);

        await using var bob = await Reviewer.SignInAsync(browser.Browser, Host, "bob");
        await bob.Card(tool).GetByTestId("deny").ClickAsync();
        await call;
    }

    [Fact]
    public async Task A_decision_without_the_antiforgery_token_is_rejected_and_records_nothing()
    {
        await using var bob = await Reviewer.SignInAsync(browser.Browser, Host, "bob");
        var tool = "purge-backups-" + Guid.NewGuid().ToString("N")[..8];
        var call = Host.SubmitAsync(tool);
        var card = bob.Card(tool);
        var approvalId = await card.GetAttributeAsync("data-approval-id");

        var response = await bob.Page.APIRequest.PostAsync(Host.Url("/Countersign/Decide"), new()
        {
            Form = FormOf(bob.Page.APIRequest, ("id", approvalId!), ("verdict", "approve")),
            MaxRedirects = 0,
        });

        Assert.Equal(400, response.Status);
        var stored = await Host.Gate.Approvals.GetAsync(approvalId!);
        Assert.Equal(Approvals.ApprovalStatus.Pending, stored!.Status);
        Assert.Empty(stored.Decisions);
        Assert.False(call.IsCompleted);

        await card.GetByTestId("deny").ClickAsync();
        await call;
    }

    private static IFormData FormOf(IAPIRequestContext request, params (string Name, string Value)[] fields)
    {
        var form = request.CreateFormData();
        foreach (var (name, value) in fields)
        {
            form.Set(name, value);
        }

        return form;
    }
}
