using System.Security.Cryptography;
using Countersign.Keys;
using Npgsql;

namespace Countersign.Postgres;

/// <summary>
/// The generated keys of a store that was given none, kept in the <c>countersign_keys</c> table so every host on the
/// database hashes payloads and links the audit chain with the same keys, across restarts.
/// </summary>
internal static class PostgresKeyTable
{
    private const string PayloadHash = "payload_hash";
    private const string AuditChain = "audit_chain";

    /// <summary>Reads the generated keys, creating them first when there are none; of hosts racing to create them, one does.</summary>
    public static Task<KeyRing> LoadOrCreateAsync(PostgresDatabase database, CancellationToken cancellationToken) =>
        database.InTransactionAsync("read or generate its keys", PostgresLocks.GeneratedKeys, async (connection, transaction) =>
        {
            var keys = await ReadAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            if (keys.TryGetValue(PayloadHash, out var payloadHash) && keys.TryGetValue(AuditChain, out var auditChain))
            {
                return new KeyRing(payloadHash, auditChain);
            }

            var ring = new KeyRing(Generate(KeyPurpose.PayloadHash), Generate(KeyPurpose.AuditChain));
            foreach (var (purpose, set) in new[] { (PayloadHash, ring.PayloadHash), (AuditChain, ring.AuditChain) })
            {
                set.TryExportKey(set.CurrentKeyId, out var key);
                using var insert = new NpgsqlCommand("INSERT INTO countersign_keys (purpose, key_id, key, is_current) VALUES (@purpose, @id, @key, true)", connection, transaction);
                insert.Parameters.AddWithValue("purpose", purpose);
                insert.Parameters.AddWithValue("id", set.CurrentKeyId);
                insert.Parameters.AddWithValue("key", key);
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            return ring;
        }, cancellationToken);

    private static async Task<Dictionary<string, KeySet>> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var rows = new List<(string Purpose, string Id, byte[] Key, bool Current)>();
        using (var select = new NpgsqlCommand("SELECT purpose, key_id, key, is_current FROM countersign_keys", connection, transaction))
        {
            var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    rows.Add((reader.GetString(0), reader.GetString(1), reader.GetFieldValue<byte[]>(2), reader.GetBoolean(3)));
                }
            }
        }

        var sets = new Dictionary<string, KeySet>(StringComparer.Ordinal);
        foreach (var group in rows.GroupBy(static row => row.Purpose, StringComparer.Ordinal))
        {
            var purpose = group.Key == PayloadHash ? KeyPurpose.PayloadHash : KeyPurpose.AuditChain;
            var current = group.FirstOrDefault(static row => row.Current).Id
                ?? throw new CountersignStoreException($"The countersign_keys table has {group.Key} keys but none is current.", isTransient: false);
            sets[group.Key] = KeySet.FromKeys(purpose, current, group.ToDictionary(static row => row.Id, static row => row.Key, StringComparer.Ordinal));
        }

        return sets;
    }

    private static KeySet Generate(KeyPurpose purpose) =>
        new(purpose, "pg-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)), RandomNumberGenerator.GetBytes(32));
}
