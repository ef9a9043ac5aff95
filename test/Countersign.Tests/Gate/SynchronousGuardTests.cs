using Countersign.Audit;
using Countersign.Policy;

namespace Countersign.Tests.Gate;

public sealed class SynchronousGuardTests
{
    [Fact]
    public async Task A_synchronous_guard_does_not_deadlock_on_a_blocked_single_threaded_context()
    {
        var gate = new ActionGateBuilder()
            .UsePolicy(ActionPolicy.AllowAll)
            .UseAuditLog(new YieldingAuditLog(new InMemoryAuditLog()))
            .UseEnvironment(_ => null)
            .Build();
        var refund = gate.Guard("refund", (string orderId) => "refunded " + orderId);

        // A UI thread blocked in a synchronous call never drains its queue; continuations posted there would hang.
        var call = Task.Run(() =>
        {
            SynchronizationContext.SetSynchronizationContext(new NeverRunningContext());
            return refund("ord_1");
        });

        Assert.Equal("refunded ord_1", await call.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    private sealed class NeverRunningContext : SynchronizationContext
    {
        public override void Post(SendOrPostCallback d, object? state)
        {
        }
    }

    private sealed class YieldingAuditLog(IAuditLog inner) : IAuditLog
    {
        public async ValueTask AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            await inner.AppendAsync(entries, cancellationToken);
        }

        public IAsyncEnumerable<AuditRecord> ReadAsync(long afterSequence = 0, CancellationToken cancellationToken = default) => inner.ReadAsync(afterSequence, cancellationToken);

        public ValueTask<AuditVerificationResult> VerifyAsync(CancellationToken cancellationToken = default) => inner.VerifyAsync(cancellationToken);
    }
}
