using System.Threading.Channels;
using Countersign.Approvals;
using Countersign.Channels;

namespace Countersign.LoadHarness;

/// <summary>Hands each pending request to the harness, which plays the reviewer.</summary>
internal sealed class NotifyingChannel : IApprovalChannel
{
    private readonly Channel<ApprovalRequest> _requests = Channel.CreateUnbounded<ApprovalRequest>();

    public string Name => "harness";

    public ValueTask NotifyAsync(ApprovalRequest request, ReviewRecorder reviews, CancellationToken cancellationToken)
    {
        _requests.Writer.TryWrite(request);
        return ValueTask.CompletedTask;
    }

    public ValueTask<ApprovalRequest> NextAsync() => _requests.Reader.ReadAsync();
}
