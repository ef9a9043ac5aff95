using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Countersign.Server.Browser.Tests.Infrastructure;

/// <summary>A person in their own browser context (own cookies), signed in to the UI.</summary>
public sealed partial class Reviewer : IAsyncDisposable
{
    private Reviewer(IBrowserContext context, IPage page)
    {
        Context = context;
        Page = page;
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    public static async Task<Reviewer> OpenAsync(IBrowser browser)
    {
        var context = await browser.NewContextAsync();
        return new Reviewer(context, await context.NewPageAsync());
    }

    public static async Task<Reviewer> SignInAsync(IBrowser browser, CountersignTestHost host, string name)
    {
        var reviewer = await OpenAsync(browser);
        await reviewer.Page.GotoAsync(host.Url("/Countersign/Queue"));
        await reviewer.FillLoginAsync(name, CountersignTestHost.Password);
        await Expect(reviewer.Page).ToHaveURLAsync(QueueAddress());
        await Expect(reviewer.Page.GetByTestId("live-status")).ToHaveTextAsync("live");
        return reviewer;
    }

    public async Task FillLoginAsync(string name, string password)
    {
        await Page.GetByLabel("User name").FillAsync(name);
        await Page.GetByLabel("Password").FillAsync(password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    /// <summary>The card of the approval for <paramref name="toolName"/> in the queue.</summary>
    public ILocator Card(string toolName) =>
        Page.GetByTestId("approval").Filter(new() { Has = Page.GetByTestId("tool").GetByText(toolName, new() { Exact = true }) });

    public async ValueTask DisposeAsync() => await Context.DisposeAsync();

    [GeneratedRegex("/Countersign/Queue$")]
    public static partial Regex QueueAddress();
}
