using Microsoft.Extensions.Configuration;

namespace Countersign.Keys;

/// <summary>
/// Reads a key ring from configuration, by default the <c>Countersign:Keys</c> section. Each purpose is a
/// subsection named after it (<c>PayloadHash</c>, <c>AuditChain</c>) holding <c>Current</c>, the current key's id,
/// and <c>Keys</c>, every key by id as base64:
/// <code>
/// "Countersign": { "Keys": {
///   "PayloadHash": { "Current": "ph-2026-03", "Keys": { "ph-2026-03": "&lt;base64, 32 bytes&gt;" } },
///   "AuditChain": { "Current": "2026-04", "Keys": { "2026-04": "&lt;base64&gt;", "2026-03": "&lt;base64&gt;" } } } }
/// </code>
/// Any configuration source works, environment variables included
/// (<c>Countersign__Keys__AuditChain__Keys__2026-04</c>). Each load reads the configuration as it is then.
/// </summary>
public sealed class ConfigurationKeyRingProvider : IKeyRingProvider
{
    /// <summary>The section read when none is named: <c>Countersign:Keys</c>.</summary>
    public const string DefaultSectionPath = "Countersign:Keys";

    private readonly IConfiguration _configuration;

    /// <summary>Creates the provider.</summary>
    /// <param name="configuration">The configuration, usually the application's root.</param>
    /// <param name="sectionPath">The path of the keys section within <paramref name="configuration"/>.</param>
    public ConfigurationKeyRingProvider(IConfiguration configuration, string sectionPath = DefaultSectionPath)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentException.ThrowIfNullOrWhiteSpace(sectionPath);
        _configuration = configuration;
        SectionPath = sectionPath;
    }

    /// <summary>Gets the path of the keys section.</summary>
    public string SectionPath { get; }

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">
    /// The section is missing or malformed; the message lists every problem, each naming its configuration key, and
    /// never a key's value.
    /// </exception>
    public ValueTask<KeyRing> LoadAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var section = _configuration.GetSection(SectionPath);
        if (!section.Exists())
        {
            throw new InvalidOperationException($"The configuration section '{section.Path}' is missing. It needs {KeyPurpose.PayloadHash} and {KeyPurpose.AuditChain}, each with Current (a key id) and Keys (base64 keys by id).");
        }

        var problems = new List<string>();
        var payloadHash = Read(section, KeyPurpose.PayloadHash, problems);
        var auditChain = Read(section, KeyPurpose.AuditChain, problems);
        if (payloadHash is null || auditChain is null)
        {
            throw new InvalidOperationException($"The keys in configuration section '{section.Path}' are invalid: " + string.Join(" ", problems));
        }

        return ValueTask.FromResult(new KeyRing(payloadHash, auditChain));
    }

    private static KeySet? Read(IConfigurationSection parent, KeyPurpose purpose, List<string> problems)
    {
        var section = parent.GetSection(purpose.ToString());
        if (!section.Exists())
        {
            problems.Add($"'{section.Path}' is missing.");
            return null;
        }

        var problemsBefore = problems.Count;
        var keysSection = section.GetSection("Keys");
        var entries = keysSection.GetChildren().ToList();
        var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (ReadKey(entry, purpose, problems) is { } key)
            {
                keys.Add(entry.Key, key);
            }
        }

        var current = section.GetSection("Current");
        if (entries.Count == 0)
        {
            problems.Add($"'{keysSection.Path}' holds no keys; list each key by id, as base64.");
        }

        if (string.IsNullOrEmpty(current.Value))
        {
            problems.Add($"'{current.Path}' is missing; set it to the id of the current key.");
        }
        else if (entries.Count > 0 && !entries.Any(entry => string.Equals(entry.Key, current.Value, StringComparison.Ordinal)))
        {
            problems.Add($"'{current.Path}' names '{current.Value}', which is not among '{keysSection.Path}' ({string.Join(", ", entries.Select(static entry => entry.Key))}).");
        }

        return problems.Count == problemsBefore ? KeySet.FromKeys(purpose, current.Value!, keys) : null;
    }

    private static byte[]? ReadKey(IConfigurationSection entry, KeyPurpose purpose, List<string> problems)
    {
        if (!KeySet.IsValidKeyId(entry.Key))
        {
            problems.Add($"'{entry.Path}' has a malformed key id: it must be {KeySet.KeyIdRule}.");
            return null;
        }

        byte[] key;
        try
        {
            key = Convert.FromBase64String(entry.Value ?? string.Empty);
        }
        catch (FormatException)
        {
            problems.Add($"'{entry.Path}' is not valid base64.");
            return null;
        }

        var minimum = KeySet.GetMinimumKeyLength(purpose);
        if (key.Length < minimum)
        {
            problems.Add($"'{entry.Path}' is {key.Length} bytes; keys for the {KeySet.Describe(purpose)} need at least {minimum}.");
            return null;
        }

        return key;
    }
}
