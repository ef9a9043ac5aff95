using System.Collections.Concurrent;
using System.Threading.Channels;
using Countersign.Approvals;
using Countersign.Channels;

namespace Countersign.Tests.Fakes;

/// <summary>A channel that hands each notified request to the test, which then decides through the recorder.</summary>
internal sealed class RecordingChannel : IApprovalChannel
{
    private readonly Channel<ApprovalRequest> _requests = Channel.CreateUnbounded<ApprovalRequest>();

    public string Name => "test";

    public ConcurrentBag<ApprovalRequest> Notified { get; } = [];

    public ValueTask NotifyAsync(ApprovalRequest request, ReviewRecorder reviews, CancellationToken cancellationToken)
    {
        Notified.Add(request);
        _requests.Writer.TryWrite(request);
        return ValueTask.CompletedTask;
    }

    public async Task<ApprovalRequest> NextAsync() =>
        await _requests.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
}
