using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Countersign.Signoff;
using Npgsql;
using NpgsqlTypes;

namespace Countersign.Postgres.Signoff;

/// <summary>
/// Stores sign-off gated records in one PostgreSQL table whose CHECK constraint is generated from the record type's
/// <see cref="SignoffGateAttribute"/>, so that no row, even one written by hand in SQL, can be in a gated status without
/// the required sign-off.
/// </summary>
/// <typeparam name="TRecord">A type deriving from <see cref="SignoffGatedRecord{TStatus}"/>.</typeparam>
/// <remarks>
/// <para>
/// The status and sign-off live in columns (<c>status</c>, <c>verbatim_response</c>, <c>responsible_owner</c>,
/// <c>approval_id</c>, <c>signed_at</c>, <c>key_id</c>, <c>signature</c>), which the constraint checks; the other
/// properties live in <c>body</c> as <c>jsonb</c>. Loading puts the columns back into the JSON and deserializes it, so the
/// record's constructor checks the gate again, including the signature of issued sign-offs, which the database cannot
/// verify. A sign-off whose fields are all empty is stored, and loaded, as no sign-off.
/// </para>
/// <para>
/// The table is created once; every <see cref="EnsureCreatedAsync"/> refuses a table created for a different
/// declaration (the constraint carries a fingerprint of its rule) or holding rows the current declaration forbids.
/// Statements that change the schema itself (<c>ALTER TABLE ... DROP CONSTRAINT</c>, by the table's owner) are outside
/// what a constraint can stop; grant the application role no ownership of the table.
/// </para>
/// </remarks>
public sealed partial class PostgresSignoffRecordTable<TRecord>
    where TRecord : class, ISignoffGatedRecord
{
    private const string Columns = "status, verbatim_response, responsible_owner, approval_id, signed_at, key_id, signature, body";

    private readonly NpgsqlDataSource _dataSource;
    private readonly Func<TRecord, string> _key;
    private readonly JsonSerializerOptions _serializerOptions;
    private readonly string _statusMember;
    private readonly string _signoffMember;

    /// <summary>Creates the table's accessor; call <see cref="EnsureCreatedAsync"/> before first use.</summary>
    /// <param name="dataSource">The database; the caller owns it and disposes it.</param>
    /// <param name="tableName">The table name: letters, digits and underscores, not starting with a digit.</param>
    /// <param name="key">Gives a record's identifier, the table's primary key.</param>
    /// <param name="serializerOptions">How the record is written to JSON; the defaults unless given.</param>
    /// <exception cref="ArgumentException">The table name is not a plain identifier.</exception>
    /// <exception cref="InvalidOperationException"><typeparamref name="TRecord"/> declares no valid gate.</exception>
    public PostgresSignoffRecordTable(NpgsqlDataSource dataSource, string tableName, Func<TRecord, string> key, JsonSerializerOptions? serializerOptions = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(tableName);
        ArgumentNullException.ThrowIfNull(key);
        if (!Identifier().IsMatch(tableName))
        {
            throw new ArgumentException($"'{tableName}' is not a plain SQL identifier (letters, digits, underscores).", nameof(tableName));
        }

        _dataSource = dataSource;
        _key = key;
        TableName = tableName;
        Declaration = SignoffGateDeclaration.For<TRecord>();
        _serializerOptions = new JsonSerializerOptions(serializerOptions ?? JsonSerializerOptions.Default);
        _serializerOptions.MakeReadOnly(populateMissingResolver: true);
        var members = _serializerOptions.GetTypeInfo(typeof(TRecord)).Properties.Select(property => property.Name).ToHashSet(StringComparer.Ordinal);
        _statusMember = MemberName(members, nameof(SignoffGatedRecord<>.Status));
        _signoffMember = MemberName(members, nameof(SignoffGatedRecord<>.Signoff));
    }

    /// <summary>Gets the table name.</summary>
    public string TableName { get; }

    /// <summary>Gets the gate the table's constraints enforce.</summary>
    public SignoffGateDeclaration Declaration { get; }

    /// <summary>
    /// Creates the table and its constraint from the record type's declaration if needed, and checks an existing one.
    /// </summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the table is ready.</returns>
    /// <exception cref="CountersignStoreException">
    /// The database cannot be reached, the table was created for another declaration, or rows violate the declaration.
    /// </exception>
    public async ValueTask EnsureCreatedAsync(CancellationToken cancellationToken = default)
    {
        await RunAsync(
            async (connection, token) =>
            {
                var transaction = await connection.BeginTransactionAsync(token).ConfigureAwait(false);
                await using (transaction.ConfigureAwait(false))
                {
                    // Hosts creating the table at once would otherwise race on the catalog.
                    await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock(hashtext('countersign-signoff:{TableName}'))", token).ConfigureAwait(false);
                    var exists = (bool)(await ScalarAsync(connection, transaction, $"SELECT to_regclass('\"{TableName}\"') IS NOT NULL", token).ConfigureAwait(false))!;
                    if (!exists)
                    {
                        await ExecuteAsync(connection, transaction, PostgresSignoffConstraintSql.CreateTable(TableName, Declaration), token).ConfigureAwait(false);
                        await ExecuteAsync(connection, transaction, PostgresSignoffConstraintSql.Tag(TableName, Declaration), token).ConfigureAwait(false);
                    }
                    else if (!string.Equals(
                        await ScalarAsync(connection, transaction, PostgresSignoffConstraintSql.ReadTag(TableName), token).ConfigureAwait(false) as string,
                        PostgresSignoffConstraintSql.Fingerprint(Declaration),
                        StringComparison.Ordinal))
                    {
                        throw new CountersignStoreException(
                            $"Table '{TableName}' was created for a different sign-off declaration than {typeof(TRecord).Name}'s; migrate it to the current one.",
                            isTransient: false);
                    }

                    var violations = (long)(await ScalarAsync(connection, transaction, PostgresSignoffConstraintSql.CountViolations(TableName, Declaration), token).ConfigureAwait(false))!;
                    if (violations > 0)
                    {
                        throw new CountersignStoreException(
                            $"Table '{TableName}' holds {violations} row(s) in a gated status without the sign-off {typeof(TRecord).Name} requires.",
                            isTransient: false);
                    }

                    await transaction.CommitAsync(token).ConfigureAwait(false);
                }

                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Inserts <paramref name="record"/>, or replaces the stored record with the same key.</summary>
    /// <param name="record">The record.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the row is written.</returns>
    /// <exception cref="ArgumentException">The record's key is blank.</exception>
    /// <exception cref="CountersignStoreException">The database cannot be reached or refused the row.</exception>
    public async ValueTask SaveAsync(TRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var id = _key(record);
        if (string.IsNullOrWhiteSpace(id))
        {
            throw new ArgumentException("The record's key is blank.", nameof(record));
        }

        var body = JsonSerializer.SerializeToNode(record, _serializerOptions)!.AsObject();
        body.Remove(_statusMember);
        body.Remove(_signoffMember);
        var signoff = record.Signoff;
        await RunAsync(
            async (connection, token) =>
            {
                var command = connection.CreateCommand();
                await using (command.ConfigureAwait(false))
                {
                    command.CommandText = $"""
                        INSERT INTO "{TableName}" (id, {Columns})
                        VALUES (@id, @status, @verbatim_response, @responsible_owner, @approval_id, @signed_at, @key_id, @signature, @body)
                        ON CONFLICT (id) DO UPDATE SET
                            status = excluded.status, verbatim_response = excluded.verbatim_response,
                            responsible_owner = excluded.responsible_owner, approval_id = excluded.approval_id,
                            signed_at = excluded.signed_at, key_id = excluded.key_id, signature = excluded.signature,
                            body = excluded.body
                        """;
                    command.Parameters.AddWithValue("id", id);
                    command.Parameters.AddWithValue("status", record.StatusName);
                    command.Parameters.AddWithValue("verbatim_response", NpgsqlDbType.Text, (object?)signoff?.VerbatimResponse ?? DBNull.Value);
                    command.Parameters.AddWithValue("responsible_owner", NpgsqlDbType.Text, (object?)signoff?.ResponsibleOwner ?? DBNull.Value);
                    command.Parameters.AddWithValue("approval_id", NpgsqlDbType.Text, (object?)signoff?.ApprovalId ?? DBNull.Value);
                    command.Parameters.AddWithValue("signed_at", NpgsqlDbType.TimestampTz, signoff?.SignedAt is { } signedAt ? signedAt.ToUniversalTime() : DBNull.Value);
                    command.Parameters.AddWithValue("key_id", NpgsqlDbType.Text, (object?)signoff?.KeyId ?? DBNull.Value);
                    command.Parameters.AddWithValue("signature", NpgsqlDbType.Text, (object?)signoff?.Signature ?? DBNull.Value);
                    command.Parameters.AddWithValue("body", NpgsqlDbType.Jsonb, body.ToJsonString(_serializerOptions));
                    await command.ExecuteNonQueryAsync(token).ConfigureAwait(false);
                }

                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Loads the record stored under <paramref name="id"/>.</summary>
    /// <param name="id">The record's key.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The record, or <see langword="null"/> when no row has that key.</returns>
    /// <exception cref="SignoffRequiredException">The row's sign-off does not satisfy the record type, for example a forged issued sign-off.</exception>
    /// <exception cref="CountersignStoreException">The database cannot be reached or the row cannot be read.</exception>
    public async ValueTask<TRecord?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return await RunAsync(
            async (connection, token) =>
            {
                var command = connection.CreateCommand();
                await using (command.ConfigureAwait(false))
                {
                    command.CommandText = $"""SELECT id, {Columns} FROM "{TableName}" WHERE id = @id""";
                    command.Parameters.AddWithValue("id", id);
                    var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        return await reader.ReadAsync(token).ConfigureAwait(false) ? Materialize(reader) : null;
                    }
                }
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Loads every stored record, ordered by key.</summary>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The records.</returns>
    /// <exception cref="SignoffRequiredException">A row's sign-off does not satisfy the record type.</exception>
    /// <exception cref="CountersignStoreException">The database cannot be reached or a row cannot be read.</exception>
    public async IAsyncEnumerable<TRecord> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                command.CommandText = $"""SELECT id, {Columns} FROM "{TableName}" ORDER BY id""";
                var reader = await Guard(() => command.ExecuteReaderAsync(cancellationToken)).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await Guard(() => reader.ReadAsync(cancellationToken)).ConfigureAwait(false))
                    {
                        yield return Materialize(reader);
                    }
                }
            }
        }
    }

    private static string MemberName(HashSet<string> members, string property)
    {
        foreach (var member in members)
        {
            if (string.Equals(member, property, StringComparison.OrdinalIgnoreCase))
            {
                return member;
            }
        }

        throw new InvalidOperationException($"{typeof(TRecord).Name} is serialized without its '{property}' property, so it cannot be stored.");
    }

    private static async ValueTask ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.Transaction = transaction;
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async ValueTask<object?> ScalarAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.Transaction = transaction;
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value);
            }

            var result = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return result is DBNull ? null : result;
        }
    }

    private static CountersignStoreException StoreError(string what, Exception error) => error switch
    {
        PostgresException postgres => new($"{what}: {postgres.SqlState} {postgres.MessageText}", postgres.IsTransient, postgres),
        _ => new($"{what}: {error.Message}", isTransient: true, error),
    };

    private static async Task<T> Guard<T>(Func<Task<T>> operation)
    {
        try
        {
            return await operation().ConfigureAwait(false);
        }
        catch (Exception error) when (error is NpgsqlException or IOException or TimeoutException)
        {
            throw StoreError("The sign-off record table could not be read", error);
        }
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex Identifier();

    private async ValueTask<T> RunAsync<T>(Func<NpgsqlConnection, CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            try
            {
                return await operation(connection, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception error) when (error is NpgsqlException or IOException or TimeoutException)
            {
                throw StoreError($"The sign-off record table '{TableName}' refused the operation", error);
            }
        }
    }

    private async ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is NpgsqlException or IOException or TimeoutException)
        {
            throw StoreError($"The database holding '{TableName}' cannot be reached", error);
        }
    }

    private TRecord Materialize(NpgsqlDataReader reader)
    {
        var id = reader.GetString(0);
        try
        {
            var body = JsonNode.Parse(reader.GetString(8)) as JsonObject
                ?? throw new JsonException("The body is not a JSON object.");
            var statusName = reader.GetString(1);
            body[_statusMember] = JsonSerializer.SerializeToNode(StatusValue(statusName), Declaration.StatusType, _serializerOptions);
            body[_signoffMember] = JsonSerializer.SerializeToNode(ReadSignoff(reader), _serializerOptions);
            return body.Deserialize<TRecord>(_serializerOptions)!;
        }
        catch (Exception error) when (error is JsonException or FormatException)
        {
            throw new CountersignStoreException($"Row '{id}' of '{TableName}' cannot be read as a {typeof(TRecord).Name}: {error.Message}", isTransient: false, error);
        }
    }

    private object StatusValue(string name)
    {
        if (Declaration.KnownStatusNames is null)
        {
            return name;
        }

        return Declaration.KnownStatusNames.Contains(name, StringComparer.Ordinal)
            ? Enum.Parse(Declaration.StatusType, name)
            : throw new FormatException($"'{name}' is not a member of {Declaration.StatusType.Name}.");
    }

    private static HumanSignoff? ReadSignoff(NpgsqlDataReader reader)
    {
        string? Text(int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

        var verbatim = Text(2);
        var owner = Text(3);
        var approval = Text(4);
        DateTimeOffset? signedAt = reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5);
        var keyId = Text(6);
        var signature = Text(7);
        if (verbatim is null && owner is null && approval is null && signedAt is null && keyId is null && signature is null)
        {
            return null;
        }

        return new HumanSignoff(
            verbatim,
            owner,
            approval,
            signedAt,
            keyId,
            signature);
    }
}
