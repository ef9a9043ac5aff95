using System.Text.RegularExpressions;
using Countersign.Server.Browser.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Countersign.Server.Browser.Tests;

[Collection(BrowserTestGroup.Name)]
public sealed partial class FirstAdminTests(BrowserFixture browser)
{
    [Fact]
    public async Task On_a_first_run_the_token_from_the_log_creates_the_first_admin_once()
    {
        await using var host = await CountersignTestHost.StartAsync(users: []);
        var setupAddress = Assert.Single(host.Log.Lines.Select(static l => SetupLink().Match(l)), static m => m.Success).Value;
        await using var owner = await Reviewer.OpenAsync(browser.Browser);

        await owner.Page.GotoAsync(host.Url(setupAddress));
        await owner.Page.GetByLabel("User name").FillAsync("root-admin");
        await owner.Page.GetByLabel("Password").FillAsync("a long and unguessable passphrase");
        await owner.Page.GetByRole(AriaRole.Button, new() { Name = "Create admin" }).ClickAsync();

        await Expect(owner.Page).ToHaveURLAsync(Reviewer.QueueAddress());
        await Expect(owner.Page.GetByTestId("current-user")).ToHaveTextAsync("root-admin (admin)");
        var again = await owner.Page.GotoAsync(host.Url(setupAddress));
        Assert.Equal(404, again!.Status);
    }

    [Fact]
    public async Task A_wrong_setup_token_creates_nobody()
    {
        await using var host = await CountersignTestHost.StartAsync(users: []);
        await using var visitor = await Reviewer.OpenAsync(browser.Browser);

        await visitor.Page.GotoAsync(host.Url("/Countersign/Setup?token=guessed"));
        await visitor.Page.GetByLabel("User name").FillAsync("intruder");
        await visitor.Page.GetByLabel("Password").FillAsync("a long and unguessable passphrase");
        await visitor.Page.GetByRole(AriaRole.Button, new() { Name = "Create admin" }).ClickAsync();

        await Expect(visitor.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("The setup token is wrong");
        Assert.Equal(0, await host.Accounts.Store.CountAsync());
    }

    [Fact]
    public async Task With_users_present_there_is_no_setup_page_and_no_token_in_the_log()
    {
        await using var host = await CountersignTestHost.StartAsync(users: ["bob"]);
        await using var second = await host.RestartAsync();
        await using var visitor = await Reviewer.OpenAsync(browser.Browser);

        var response = await visitor.Page.GotoAsync(second.Url("/Countersign/Setup?token=anything"));

        Assert.Equal(404, response!.Status);
        Assert.DoesNotContain(second.Log.Lines, static l => l.Contains("Create the first admin", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"/Countersign/Setup\?token=[A-Za-z0-9_-]+")]
    private static partial Regex SetupLink();
}
