using Countersign.Approvals;

namespace Countersign.StoreConformance;

/// <summary>
/// A subscription to a store's change feed that a test reads one event at a time. The first read starts when it is
/// created, so a subscription from "now" is in place before the test changes anything.
/// </summary>
public sealed class FeedReader : IAsyncDisposable
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);
    private readonly CancellationTokenSource _cancel = new();
    private readonly IAsyncEnumerator<ApprovalEvent> _events;
    private Task<bool> _next;

    /// <summary>Subscribes.</summary>
    /// <param name="store">The store.</param>
    /// <param name="afterPosition">Where to resume, or <see langword="null"/> for the changes from now on.</param>
    public FeedReader(IApprovalStore store, long? afterPosition = null)
    {
        _events = store.WatchAsync(afterPosition, _cancel.Token).GetAsyncEnumerator(_cancel.Token);
        _next = _events.MoveNextAsync().AsTask();
    }

    /// <summary>Gets whether the next event (or the end of the stream) has arrived.</summary>
    public bool HasNext => _next.IsCompleted;

    /// <summary>Waits for the next event.</summary>
    public async Task<ApprovalEvent> NextAsync()
    {
        Assert.True(await _next.WaitAsync(HangGuard), "The change feed ended.");
        var current = _events.Current;
        _next = _events.MoveNextAsync().AsTask();
        return current;
    }

    /// <summary>Reads <paramref name="count"/> events.</summary>
    public async Task<List<ApprovalEvent>> NextAsync(int count)
    {
        var events = new List<ApprovalEvent>(count);
        for (var i = 0; i < count; i++)
        {
            events.Add(await NextAsync());
        }

        return events;
    }

    /// <summary>Waits for the stream to end with an error.</summary>
    public async Task<Exception> FailureAsync()
    {
        try
        {
            while (await _next.WaitAsync(HangGuard))
            {
                _next = _events.MoveNextAsync().AsTask();
            }
        }
        catch (Exception exception) when (exception is not TimeoutException)
        {
            return exception;
        }

        throw new Xunit.Sdk.XunitException("The change feed ended without an error.");
    }

    /// <summary>Cancels the subscription and waits for it to end.</summary>
    public async ValueTask DisposeAsync()
    {
        await _cancel.CancelAsync();
        try
        {
            await _next.WaitAsync(HangGuard);
        }
        catch (Exception exception) when (exception is OperationCanceledException or CountersignStoreException)
        {
            // Cancelled as asked, or the store was closed first.
        }

        await _events.DisposeAsync();
        _cancel.Dispose();
    }
}
