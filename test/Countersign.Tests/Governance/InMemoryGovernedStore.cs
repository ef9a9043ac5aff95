using Countersign.Approvals;
using Countersign.Audit;
using Countersign.Execution;
using Countersign.Governance;
using Countersign.Notifications;
using Countersign.Serialization;

namespace Countersign.Tests.Governance;

/// <summary>In-memory stores that several gates share, as processes share a database.</summary>
internal sealed class InMemoryGovernedStore : IGovernedStore
{
    public IApprovalStore Approvals { get; } = new InMemoryApprovalStore();

    public IAuditLog AuditLog { get; } = new InMemoryAuditLog();

    public IExecutionLedger Executions { get; } = new InMemoryExecutionLedger();

    public INotificationOutbox Notifications { get; } = new InMemoryNotificationOutbox();

    public PayloadHasher PayloadHasher { get; } = PayloadHasher.CreateEphemeral();

    public IGovernanceStore Governance { get; } = new InMemoryGovernanceStore();

    /// <summary>A view of the same state that the gate may own without closing it for the others.</summary>
    public IGovernedStore Share() => new Shared(this);

    private sealed class Shared(InMemoryGovernedStore inner) : IGovernedStore
    {
        public IApprovalStore Approvals => inner.Approvals;

        public IAuditLog AuditLog => inner.AuditLog;

        public IExecutionLedger Executions => inner.Executions;

        public INotificationOutbox Notifications => inner.Notifications;

        public PayloadHasher PayloadHasher => inner.PayloadHasher;

        public IGovernanceStore Governance => inner.Governance;
    }
}
