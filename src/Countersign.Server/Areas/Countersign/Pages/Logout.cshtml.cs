using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Countersign.Server.Ui.Pages;

/// <summary>Ends the session (a POST, so another site cannot sign a reviewer out).</summary>
internal sealed class LogoutModel : PageModel
{
    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(CountersignAuthentication.CookieScheme).ConfigureAwait(false);
        return RedirectToPage("/Login");
    }
}
