using System.Security.Cryptography;
using System.Text.Json;
using Countersign.Audit;
using Microsoft.Data.Sqlite;

namespace Countersign.Sqlite;

/// <summary>
/// The generated keys of a store that was given none, kept in <c>&lt;database&gt;.keys</c> beside the file (mode 0600)
/// so a restarted process hashes payloads the same way and can verify the chain it wrote.
/// </summary>
internal static class SqliteKeyFile
{
    private const int Format = 1;

    /// <summary>The key file's path for a database path.</summary>
    public static string PathFor(string databasePath) => databasePath + ".keys";

    /// <summary>Reads the key file, for opens that must create nothing.</summary>
    /// <exception cref="CountersignStoreException">The key file is missing or unreadable.</exception>
    public static (byte[] PayloadHashKey, AuditKeyRing AuditKeys) Load(string path) => File.Exists(path)
        ? Read(path)
        : throw new CountersignStoreException($"The key file '{path}' does not exist, and a read-only store creates none. Configure the keys, or restore the key file from a backup.", isTransient: false);

    /// <summary>
    /// Reads the key file, or creates it with fresh random keys when there is none. Creation happens only while this
    /// process holds the database's write lock (a <c>BEGIN IMMEDIATE</c> transaction on <paramref name="database"/>), so
    /// of several processes opening a new file at once exactly one writes keys and the others read them.
    /// </summary>
    /// <param name="path">The key file's path.</param>
    /// <param name="database">A connection to the database the keys belong to, with no transaction open.</param>
    /// <returns>The keys.</returns>
    public static (byte[] PayloadHashKey, AuditKeyRing AuditKeys) LoadOrCreate(string path, SqliteConnection database)
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

        var payloadKey = RandomNumberGenerator.GetBytes(32);
        var auditKeyId = "local-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var auditKey = RandomNumberGenerator.GetBytes(AuditKeyRing.MinimumKeyLength);
        var temporary = $"{path}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}.tmp";
        try
        {
            Write(temporary, payloadKey, auditKeyId, auditKey);

            // The rename publishes a complete file or nothing, so a reader outside the lock never sees half a file.
            File.Move(temporary, path, overwrite: false);
            return (payloadKey, new AuditKeyRing(auditKeyId, auditKey));
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static void Write(string path, byte[] payloadKey, string auditKeyId, byte[] auditKey)
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
            writer.WriteString("payload_hash_key", Convert.ToBase64String(payloadKey));
            writer.WriteString("audit_current_key_id", auditKeyId);
            writer.WriteStartObject("audit_keys");
            writer.WriteString(auditKeyId, Convert.ToBase64String(auditKey));
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        stream.Flush(flushToDisk: true);
    }

    private static (byte[] PayloadHashKey, AuditKeyRing AuditKeys) Read(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            if (!root.TryGetProperty("format", out var format) || format.GetInt32() != Format)
            {
                throw new FormatException($"unknown format (expected {Format})");
            }

            var payloadKey = Convert.FromBase64String(root.GetProperty("payload_hash_key").GetString()!);
            var currentId = root.GetProperty("audit_current_key_id").GetString()!;
            var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var key in root.GetProperty("audit_keys").EnumerateObject())
            {
                keys[key.Name] = Convert.FromBase64String(key.Value.GetString()!);
            }

            if (!keys.Remove(currentId, out var currentKey))
            {
                throw new FormatException($"the current audit key '{currentId}' is not among the keys");
            }

            return (payloadKey, new AuditKeyRing(currentId, currentKey, keys));
        }
        catch (Exception exception) when (exception is JsonException or FormatException or KeyNotFoundException or InvalidOperationException or ArgumentException)
        {
            throw new CountersignStoreException($"The key file '{path}' cannot be read ({exception.Message}). Restore it from a backup; without it the audit chain cannot be verified.", isTransient: false, exception);
        }
    }
}
