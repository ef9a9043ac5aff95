using System.Security.Claims;
using Countersign.Server.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Countersign.Server.Ui.Pages;

/// <summary>Signs a user in with a name and password; attempts are limited per client IP address.</summary>
internal sealed class LoginModel(UserAccounts accounts, LoginRateLimiter limiter) : PageModel
{
    public string? Problem { get; private set; }

    public string? ReturnUrl { get; private set; }

    public void OnGet(string? returnUrl) => ReturnUrl = returnUrl;

    public async Task<IActionResult> OnPostAsync(string? name, string? password, string? returnUrl)
    {
        ReturnUrl = returnUrl;
        if (!limiter.TryAcquire(HttpContext.Connection.RemoteIpAddress))
        {
            Problem = "Too many sign-in attempts from your address. Wait a minute and try again.";
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = "60";
            return Page();
        }

        var user = await accounts.VerifyAsync(name, password, HttpContext.RequestAborted).ConfigureAwait(false);
        if (user is null)
        {
            Problem = "Wrong user name or password.";
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }

        await SignInAsync(HttpContext, user).ConfigureAwait(false);
        return Url.IsLocalUrl(returnUrl) ? LocalRedirect(returnUrl) : RedirectToPage("/Queue");
    }

    internal static Task SignInAsync(HttpContext context, CountersignUser user)
    {
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, user.Name), new Claim(ClaimTypes.Role, user.Role)],
            CountersignAuthentication.CookieScheme,
            ClaimTypes.Name,
            ClaimTypes.Role);
        return context.SignInAsync(CountersignAuthentication.CookieScheme, new ClaimsPrincipal(identity));
    }
}
