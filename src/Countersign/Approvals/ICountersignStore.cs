using Countersign.Audit;
using Countersign.Execution;
using Countersign.Notifications;
using Countersign.Serialization;

namespace Countersign.Approvals;

/// <summary>
/// Everything a gate keeps durably, from one store: approvals, the audit log, the execution ledger, the notification
/// outbox and the payload hash key. A store package (SQLite, PostgreSQL, your own) implements it and the gate takes it with
/// <see cref="ActionGateBuilder.UseStore(Func{IServiceProvider, ICountersignStore}, bool)"/>.
/// </summary>
public interface ICountersignStore
{
    /// <summary>Gets the approvals.</summary>
    IApprovalStore Approvals { get; }

    /// <summary>Gets the audit log.</summary>
    IAuditLog AuditLog { get; }

    /// <summary>Gets the ledger of executions per idempotency key.</summary>
    IExecutionLedger Executions { get; }

    /// <summary>Gets the ledger of channel notifications, shared by every process on the store so each is delivered once.</summary>
    INotificationOutbox Notifications { get; }

    /// <summary>Gets the hasher whose key binds approvals to payloads; stable across restarts for requests to re-attach.</summary>
    PayloadHasher PayloadHasher { get; }
}
