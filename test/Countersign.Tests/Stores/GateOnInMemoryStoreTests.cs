using Countersign.Approvals;
using Countersign.Audit;
using Countersign.Execution;
using Countersign.Notifications;
using Countersign.Serialization;
using Countersign.StoreConformance;

namespace Countersign.Tests.Stores;

public sealed class GateOnInMemoryStoreTests : GateOnStoreConformanceTests
{
    private readonly InMemoryApprovalStore _approvals = new();
    private readonly InMemoryAuditLog _audit = new();
    private readonly InMemoryExecutionLedger _executions = new();
    private readonly PayloadHasher _hasher = PayloadHasher.CreateEphemeral();
    private readonly InMemoryNotificationOutbox _notifications = new();

    // Every instance shares the one "database": the approvals through a second instance of the store, the rest by reference.
    protected override ICountersignStore OpenStore() => new SharedStore(_approvals.OpenSecondInstance(), _audit, _executions, _hasher, _notifications);

    private sealed record SharedStore(IApprovalStore Approvals, IAuditLog AuditLog, IExecutionLedger Executions, PayloadHasher PayloadHasher, INotificationOutbox Notifications) : ICountersignStore;
}
