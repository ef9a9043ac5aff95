using System.Security.Cryptography;
using System.Text.Json;
using Countersign.Keys;
using Microsoft.Data.Sqlite;

namespace Countersign.Sqlite;

/// <summary>
/// The generated keys of a store that was given none, kept in <c>&lt;database&gt;.keys</c> beside the file (mode 0600)
/// so a restarted process hashes payloads the same way and can verify the chain it wrote.
/// </summary>
internal static class SqliteKeyFile
{
    private const int Format = 2;

    /// <summary>The id a format-1 file's payload hash key goes by; that format kept the key without one.</summary>
    public const string FormatOnePayloadHashKeyId = "local";

    /// <summary>The key file's path for a database path.</summary>
    public static string PathFor(string databasePath) => databasePath + ".keys";

    /// <summary>Reads the key file, for opens that must create nothing.</summary>
    /// <exception cref="CountersignStoreException">The key file is missing or unreadable.</exception>
    public static KeyRing Load(string path) => File.Exists(path)
        ? Read(path)
        : throw new CountersignStoreException($"The key file '{path}' does not exist, and only a read-write open without configured keys generates one. Restore it from a backup, or configure the keys.", isTransient: false);

    /// <summary>
    /// Reads the key file, or creates it with fresh random keys when there is none. Creation happens only while this
    /// process holds the database's write lock (a <c>BEGIN IMMEDIATE</c> transaction on <paramref name="database"/>), so
    /// of several processes opening a new file at once exactly one writes keys and the others read them.
    /// </summary>
    /// <param name="path">The key file's path.</param>
    /// <param name="database">A connection to the database the keys belong to, with no transaction open.</param>
    /// <returns>The keys.</returns>
    public static KeyRing LoadOrCreate(string path, SqliteConnection database)
    {
        // A key file is published whole by a rename, so one that exists can be read without the lock.
        if (File.Exists(path))
        {
            return Read(path);
        }

        // The lock, not the rename, is what settles the race: File.Move(..., overwrite: false) checks for the target and
        // then renames over it on Unix, so two creators that both see no file both "win" and the later one's keys replace
        // the earlier one's, which its process already uses.
        using var writeLock = database.BeginTransaction(deferred: false);
        if (File.Exists(path))
        {
            return Read(path);
        }

        var ring = new KeyRing(Generate(KeyPurpose.PayloadHash), Generate(KeyPurpose.AuditChain));
        var temporary = $"{path}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}.tmp";
        try
        {
            Write(temporary, ring);

            // The rename publishes a complete file or nothing, so a reader outside the lock never sees half a file.
            File.Move(temporary, path, overwrite: false);
            return ring;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>
    /// Replaces <paramref name="purpose"/>'s current key in the key file with a fresh one, keeping the old keys so what
    /// they MACed or hashed still verifies. Done under the database's write lock, and published by a rename.
    /// </summary>
    /// <returns>The new key's id.</returns>
    public static string Rotate(string path, SqliteConnection database, KeyPurpose purpose)
    {
        using var writeLock = database.BeginTransaction(deferred: false);
        var ring = Load(path);
        var fresh = Generate(purpose);
        fresh.TryExportKey(fresh.CurrentKeyId, out var key);
        var rotated = purpose == KeyPurpose.AuditChain
            ? new KeyRing(ring.PayloadHash, ring.AuditChain.Rotate(fresh.CurrentKeyId, key))
            : new KeyRing(ring.PayloadHash.Rotate(fresh.CurrentKeyId, key), ring.AuditChain);
        var temporary = $"{path}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}.tmp";
        try
        {
            Write(temporary, rotated);
            File.Move(temporary, path, overwrite: true);
            return fresh.CurrentKeyId;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static KeySet Generate(KeyPurpose purpose) =>
        new(purpose, "local-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)), RandomNumberGenerator.GetBytes(32));

    private static void Write(string path, KeyRing ring)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(path, options);
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("format", Format);
            WriteSet(writer, "payload_hash", ring.PayloadHash);
            WriteSet(writer, "audit_chain", ring.AuditChain);
            writer.WriteEndObject();
        }

        stream.Flush(flushToDisk: true);
    }

    private static void WriteSet(Utf8JsonWriter writer, string name, KeySet keys)
    {
        writer.WriteStartObject(name);
        writer.WriteString("current", keys.CurrentKeyId);
        writer.WriteStartObject("keys");
        foreach (var id in keys.KeyIds)
        {
            keys.TryExportKey(id, out var key);
            writer.WriteString(id, Convert.ToBase64String(key));
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static KeyRing Read(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            if (!root.TryGetProperty("format", out var format))
            {
                throw new FormatException("no format");
            }

            return format.GetInt32() switch
            {
                1 => new KeyRing(
                    new KeySet(KeyPurpose.PayloadHash, FormatOnePayloadHashKeyId, Convert.FromBase64String(root.GetProperty("payload_hash_key").GetString()!)),
                    ReadSet(KeyPurpose.AuditChain, root.GetProperty("audit_current_key_id"), root.GetProperty("audit_keys"))),
                Format => new KeyRing(ReadSet(KeyPurpose.PayloadHash, root.GetProperty("payload_hash")), ReadSet(KeyPurpose.AuditChain, root.GetProperty("audit_chain"))),
                var other => throw new FormatException($"unknown format {other} (expected 1 or {Format})"),
            };
        }
        catch (Exception exception) when (exception is JsonException or FormatException or KeyNotFoundException or InvalidOperationException or ArgumentException)
        {
            throw new CountersignStoreException($"The key file '{path}' cannot be read ({exception.Message}). Restore it from a backup; without it the audit chain cannot be verified.", isTransient: false, exception);
        }
    }

    private static KeySet ReadSet(KeyPurpose purpose, JsonElement set) => ReadSet(purpose, set.GetProperty("current"), set.GetProperty("keys"));

    private static KeySet ReadSet(KeyPurpose purpose, JsonElement current, JsonElement keys) =>
        KeySet.FromKeys(
            purpose,
            current.GetString()!,
            keys.EnumerateObject().ToDictionary(key => key.Name, key => Convert.FromBase64String(key.Value.GetString()!), StringComparer.Ordinal));
}
