using System.Security.Claims;
using Countersign.Approvals;
using Countersign.Server.Ui;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Countersign.Server.Ui.Pages;

/// <summary>
/// Records an approve or deny through the core's <see cref="ReviewRecorder"/>, which holds the self-approval, quorum
/// and role rules and audits the review. Admins and reviewers only; antiforgery is checked as on every POST.
/// </summary>
internal sealed class DecideModel(ReviewRecorder reviews) : PageModel
{
    public const int MaxCommentLength = 2000;

    public string Message { get; private set; } = string.Empty;

    public IActionResult OnGet() => RedirectToPage("/Queue");

    public async Task<IActionResult> OnPostAsync(string? id, string? verdict, string? comment)
    {
        if (string.IsNullOrEmpty(id) || id.Length > 200 || verdict is not ("approve" or "deny") || comment?.Length > MaxCommentLength)
        {
            return Answer(StatusCodes.Status400BadRequest, "The decision needs an approval id, approve or deny, and a comment of at most 2000 characters.");
        }

        var reviewer = User.Identity?.Name;
        var role = User.FindFirstValue(ClaimTypes.Role);
        if (reviewer is null || role is null)
        {
            return Forbid();
        }

        var result = await reviews.DecideAsync(id, reviewer, verdict == "approve", comment, "web", [role], HttpContext.RequestAborted).ConfigureAwait(false);
        var (status, message) = result.Kind switch
        {
            ReviewResultKind.Recorded => (StatusCodes.Status200OK, Describe(result.Request!)),
            ReviewResultKind.NotFound => (StatusCodes.Status404NotFound, "No such approval."),
            ReviewResultKind.AlreadyResolved => (StatusCodes.Status409Conflict, "Someone else decided this already."),
            ReviewResultKind.Expired => (StatusCodes.Status409Conflict, "The approval expired before your decision arrived."),
            ReviewResultKind.SelfApproval => (StatusCodes.Status403Forbidden, "You requested this action; someone else must review it."),
            ReviewResultKind.DuplicateReviewer => (StatusCodes.Status409Conflict, "You already reviewed this; the quorum needs other reviewers."),
            ReviewResultKind.RoleNotAllowed => (StatusCodes.Status403Forbidden, "Your role may not review this approval."),
            _ => (StatusCodes.Status409Conflict, "The decision was not recorded."),
        };
        return Answer(status, message);
    }

    private static string Describe(ApprovalRequest approval) => approval.Status switch
    {
        ApprovalStatus.Granted => "Approved.",
        ApprovalStatus.Denied => "Denied.",
        _ => $"Approval recorded ({approval.Decisions.Count(static d => d.Approved)} of {approval.Quorum}).",
    };

    // The script wants a status and a message; a form post without script gets a page that says what happened.
    private IActionResult Answer(int status, string message)
    {
        if (Request.Headers.ContainsKey(UiHeaders.Script))
        {
            return new JsonResult(new { ok = status == StatusCodes.Status200OK, message }) { StatusCode = status };
        }

        Message = message;
        Response.StatusCode = status;
        return Page();
    }
}
