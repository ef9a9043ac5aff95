using Countersign.Server.Accounts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Countersign.Server.Ui.Pages;

/// <summary>
/// Creates the first admin with the one-time token the server printed to its log on a first run. It does not exist
/// once any user does.
/// </summary>
internal sealed class SetupModel(UserAccounts accounts, FirstAdminSetup setup) : PageModel
{
    public string? Token { get; private set; }

    public string? Problem { get; private set; }

    public bool IsClosed { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? token)
    {
        if (!await IsOpenAsync().ConfigureAwait(false))
        {
            return Closed();
        }

        Token = token;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? token, string? name, string? password)
    {
        if (!await IsOpenAsync().ConfigureAwait(false))
        {
            return Closed();
        }

        Token = token;
        Problem = UserAccounts.CheckName(name) ?? UserAccounts.CheckPassword(password);
        if (Problem is not null)
        {
            return Page();
        }

        if (!setup.TryRedeem(token))
        {
            Problem = "The setup token is wrong or was used already. Take it from the server's log.";
            return Page();
        }

        var user = await accounts.CreateAsync(name!, password!, CountersignRoles.Admin, HttpContext.RequestAborted).ConfigureAwait(false);
        await LoginModel.SignInAsync(HttpContext, user).ConfigureAwait(false);
        return RedirectToPage("/Queue");
    }

    private PageResult Closed()
    {
        IsClosed = true;
        Response.StatusCode = StatusCodes.Status404NotFound;
        return Page();
    }

    private async Task<bool> IsOpenAsync() => setup.IsOpen && await accounts.Store.CountAsync(HttpContext.RequestAborted).ConfigureAwait(false) == 0;
}
