using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Countersign.Approvals;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace Countersign.Server.Ui;

/// <summary>
/// The live queue's Server-Sent Events: one event per change in the approval store's change feed, from the feed
/// position the page was rendered at (or the browser's <c>Last-Event-ID</c> after a reconnect), so nothing between the
/// page and the stream is missed. The script fetches the card of a new approval and drops a decided one.
/// </summary>
internal static class QueueEvents
{
    public static IResult Stream(HttpContext context, IApprovalStore store, IHostApplicationLifetime lifetime, long? after)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (long.TryParse(context.Request.Headers["Last-Event-ID"], NumberStyles.None, CultureInfo.InvariantCulture, out var lastSeen))
        {
            after = lastSeen;
        }

        if (after is < 0)
        {
            return Results.BadRequest();
        }

        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.ServerSentEvents(Changes(store, after, context.RequestAborted, lifetime.ApplicationStopping));
    }

    // The stream ends when the browser leaves or the app stops, so an open queue never holds up a shutdown.
    private static async IAsyncEnumerable<SseItem<QueueChange>> Changes(IApprovalStore store, long? after, [EnumeratorCancellation] CancellationToken requestAborted, CancellationToken stopping)
    {
        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, stopping);

        // The first event sends the response's headers at once, so the browser knows the stream is open.
        yield return new SseItem<QueueChange>(new QueueChange("ready", null, null), "ready");
        var changes = store.WatchAsync(after, lifetime.Token).GetAsyncEnumerator(lifetime.Token);
        await using (changes.ConfigureAwait(false))
        {
            while (await NextAsync(changes).ConfigureAwait(false))
            {
                var change = changes.Current;
                var data = change.IsGap
                    ? new QueueChange("gap", null, null)
                    : new QueueChange(change.Kind.ToString().ToLowerInvariant(), change.Approval.Id, ApprovalCard.StatusText(change.Approval.Status));
                yield return new SseItem<QueueChange>(data, "change") { EventId = change.Position.ToString(CultureInfo.InvariantCulture) };
            }
        }
    }

    private static async ValueTask<bool> NextAsync(IAsyncEnumerator<ApprovalEvent> changes)
    {
        try
        {
            return await changes.MoveNextAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>What the script is told: the kind of change, the approval and its new status.</summary>
    internal sealed record QueueChange(string Kind, string? Id, string? Status);
}
