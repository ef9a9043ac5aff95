using System.Text.RegularExpressions;
using Countersign.Server.Browser.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Countersign.Server.Browser.Tests;

[Collection(BrowserTestGroup.Name)]
public sealed partial class LoginTests(BrowserFixture browser, ServerFixture server)
{
    private CountersignTestHost Host => server.Host;

    [Fact]
    public async Task Signing_in_with_the_right_password_opens_the_queue_and_shows_who_is_signed_in()
    {
        await using var alice = await Reviewer.SignInAsync(browser.Browser, Host, "alice");

        await Expect(alice.Page.GetByTestId("current-user")).ToHaveTextAsync("alice (admin)");
    }

    [Fact]
    public async Task A_wrong_password_keeps_the_user_out()
    {
        await using var visitor = await Reviewer.OpenAsync(browser.Browser);
        await visitor.Page.GotoAsync(Host.Url("/Countersign/Queue"));

        await visitor.FillLoginAsync("bob", "not bob's password at all");

        await Expect(visitor.Page.GetByTestId("login-problem")).ToHaveTextAsync("Wrong user name or password.");
        var queue = await visitor.Page.GotoAsync(Host.Url("/Countersign/Queue"));
        await Expect(visitor.Page).ToHaveURLAsync(LoginAddress());
        Assert.NotNull(queue);
    }

    [Fact]
    public async Task An_unknown_user_gets_the_same_answer_as_a_wrong_password()
    {
        await using var visitor = await Reviewer.OpenAsync(browser.Browser);
        await visitor.Page.GotoAsync(Host.Url("/Countersign/Login"));

        await visitor.FillLoginAsync("mallory", CountersignTestHost.Password);

        await Expect(visitor.Page.GetByTestId("login-problem")).ToHaveTextAsync("Wrong user name or password.");
    }

    [Fact]
    public async Task The_session_cookie_is_http_only_secure_and_same_site_strict()
    {
        await using var bob = await Reviewer.SignInAsync(browser.Browser, Host, "bob");

        var cookie = Assert.Single(await bob.Context.CookiesAsync(), static c => c.Name == "countersign_session");
        Assert.True(cookie.HttpOnly);
        Assert.True(cookie.Secure);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
    }

    [Fact]
    public async Task Pages_forbid_inline_script_and_framing()
    {
        await using var bob = await Reviewer.SignInAsync(browser.Browser, Host, "bob");

        var response = await bob.Page.GotoAsync(Host.Url("/Countersign/Queue"));

        var headers = await response!.AllHeadersAsync();
        var policy = headers["content-security-policy"];
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", headers["x-content-type-options"]);
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        await using var bob = await Reviewer.SignInAsync(browser.Browser, Host, "bob");

        await bob.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        await Expect(bob.Page).ToHaveURLAsync(LoginAddress());
        await bob.Page.GotoAsync(Host.Url("/Countersign/History"));
        await Expect(bob.Page).ToHaveURLAsync(LoginAddress());
    }

    [Fact]
    public async Task The_sixth_sign_in_attempt_in_a_minute_from_one_address_is_refused_even_with_the_right_password()
    {
        await using var host = await CountersignTestHost.StartAsync(loginAttemptsPerMinute: 5, users: ["bob"]);
        await using var visitor = await Reviewer.OpenAsync(browser.Browser);
        await visitor.Page.GotoAsync(host.Url("/Countersign/Login"));
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            await visitor.FillLoginAsync("bob", "wrong password number " + attempt);
            await Expect(visitor.Page.GetByTestId("login-problem")).ToHaveTextAsync("Wrong user name or password.");
        }

        var refused = await visitor.Page.RunAndWaitForResponseAsync(
            () => visitor.FillLoginAsync("bob", CountersignTestHost.Password),
            static r => r.Request.Method == "POST");

        Assert.Equal(429, refused.Status);
        await Expect(visitor.Page.GetByTestId("login-problem")).ToContainTextAsync("Too many sign-in attempts");
        await Expect(visitor.Page).ToHaveURLAsync(LoginAddress());
    }

    [GeneratedRegex("/Countersign/Login")]
    private static partial Regex LoginAddress();
}
