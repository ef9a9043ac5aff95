using Countersign.Audit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Countersign.Server.Api.Audit;

/// <summary><c>/v1/audit</c>: pages of the audit log, filtered, and verification of the whole chain.</summary>
internal static class AuditEndpoints
{
    private const int MaxScanned = 10_000;

    public static void MapAuditEndpoints(this RouteGroupBuilder v1)
    {
        var audit = v1.MapGroup("/audit").WithTags("Audit").RequireAuthorization(CountersignAuthentication.ViewerPolicy);
        audit.MapGet("/", PageAsync)
            .WithSummary("Reads entries after a sequence (?after=), filtered by kind, action, tool or agent; continue from 'next'.");
        audit.MapPost("/verify", VerifyAsync).WithSummary("Walks the whole chain and reports clean or the first broken entry.");
    }

    private static async Task<JsonHttpResult<AuditPage>> PageAsync(
        IAuditLog log,
        CancellationToken cancellationToken,
        long after = 0,
        int limit = 100,
        string? kind = null,
        string? action = null,
        string? tool = null,
        string? agent = null)
    {
        if (after < 0 || limit is < 1 or > 1000)
        {
            throw new ApiProblemException(StatusCodes.Status400BadRequest, "Invalid paging", "'after' is 0 or more and 'limit' between 1 and 1000.");
        }

        AuditEventKind? kindFilter = kind is null
            ? null
            : kind.Length <= 30 && Enum.TryParse<AuditEventKind>(kind.Replace("_", string.Empty, StringComparison.Ordinal), ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
                ? parsed
                : throw new ApiProblemException(StatusCodes.Status400BadRequest, "Invalid kind", "'kind' is approval_requested, reviewed, approval_expired, authorized or outcome.");
        ApiText.Identifier(action, "action");
        ApiText.Identifier(tool, "tool");
        ApiText.Identifier(agent, "agent");

        var entries = new List<AuditRecord>();
        var last = after;
        var scanned = 0;
        var more = false;
        await foreach (var record in log.ReadAsync(after, cancellationToken).ConfigureAwait(false))
        {
            if (entries.Count == limit || scanned == MaxScanned)
            {
                more = true;
                break;
            }

            scanned++;
            last = record.Sequence;
            var entry = record.Entry;
            if ((kindFilter is null || entry.Kind == kindFilter)
                && (action is null || entry.ActionId == action)
                && (tool is null || entry.ToolName == tool)
                && (agent is null || entry.AgentId == agent))
            {
                entries.Add(record);
            }
        }

        return TypedResults.Json(new AuditPage(entries, more ? last : null), ApiJson.Options);
    }

    private static async Task<Ok<AuditVerificationResult>> VerifyAsync(IAuditLog log, CancellationToken cancellationToken) =>
        TypedResults.Ok(await log.VerifyAsync(cancellationToken).ConfigureAwait(false));
}
