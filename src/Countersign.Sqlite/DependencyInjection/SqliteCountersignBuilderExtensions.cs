using Countersign.Approvals;
using Countersign.Audit;
using Countersign.DependencyInjection;
using Countersign.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Countersign.Sqlite;

/// <summary>Registers the embedded SQLite store for <c>services.AddCountersign()</c>.</summary>
public static class SqliteCountersignBuilderExtensions
{
    /// <summary>
    /// Keeps approvals, the audit log and the payload hash key in the SQLite file at <paramref name="databasePath"/>.
    /// The container's <see cref="TimeProvider"/> and <see cref="ILoggerFactory"/> are used; the container disposes the store.
    /// </summary>
    /// <param name="builder">The Countersign builder.</param>
    /// <param name="databasePath">The database file.</param>
    /// <param name="configure">Sets further store options.</param>
    /// <returns>The builder.</returns>
    public static CountersignBuilder UseSqlite(this CountersignBuilder builder, string databasePath, Action<SqliteStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        builder.Services.TryAddSingleton(provider =>
        {
            var options = new SqliteStoreOptions
            {
                DatabasePath = databasePath,
                TimeProvider = provider.GetService<TimeProvider>() ?? TimeProvider.System,
                LoggerFactory = provider.GetService<ILoggerFactory>(),
            };
            configure?.Invoke(options);
            return SqliteStore.Open(options);
        });
        builder.Services.Replace(ServiceDescriptor.Singleton<IApprovalStore>(provider => provider.GetRequiredService<SqliteStore>().Approvals));
        builder.Services.Replace(ServiceDescriptor.Singleton<IAuditLog>(provider => provider.GetRequiredService<SqliteStore>().AuditLog));
        builder.Services.Replace(ServiceDescriptor.Singleton<PayloadHasher>(provider => provider.GetRequiredService<SqliteStore>().PayloadHasher));
        return builder;
    }
}
