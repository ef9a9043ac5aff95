using Countersign.Audit;
using Countersign.Keys;
using Countersign.Serialization;
using Microsoft.Extensions.Configuration;

namespace Countersign.Tests.Keys;

public sealed class ConfigurationKeyRingProviderTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly string PayloadKey = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
    private static readonly string AuditKeyMarch = Convert.ToBase64String(Enumerable.Range(101, 32).Select(i => (byte)i).ToArray());
    private static readonly string AuditKeyApril = Convert.ToBase64String(Enumerable.Range(151, 32).Select(i => (byte)i).ToArray());

    private static Dictionary<string, string?> Valid() => new()
    {
        ["Countersign:Keys:PayloadHash:Current"] = "ph-1",
        ["Countersign:Keys:PayloadHash:Keys:ph-1"] = PayloadKey,
        ["Countersign:Keys:AuditChain:Current"] = "2026-03",
        ["Countersign:Keys:AuditChain:Keys:2026-03"] = AuditKeyMarch,
    };

    /// <summary>The valid settings with some changed; a <see langword="null"/> value removes the setting.</summary>
    private static Dictionary<string, string?> Changed(params (string Key, string? Value)[] changes)
    {
        var values = Valid();
        foreach (var (key, value) in changes)
        {
            if (value is null)
            {
                values.Remove(key);
            }
            else
            {
                values[key] = value;
            }
        }

        return values;
    }

    private static ValueTask<KeyRing> Load(Dictionary<string, string?> values, string sectionPath = ConfigurationKeyRingProvider.DefaultSectionPath) =>
        new ConfigurationKeyRingProvider(new ConfigurationBuilder().AddInMemoryCollection(values).Build(), sectionPath).LoadAsync();

    private static async Task<string> LoadError(Dictionary<string, string?> values) =>
        (await Assert.ThrowsAsync<InvalidOperationException>(async () => await Load(values))).Message;

    private static AuditEntry Entry(string actionId) => new() { Timestamp = At, Kind = AuditEventKind.Reviewed, ActionId = actionId, ToolName = "refund" };

    [Fact]
    public async Task A_well_formed_section_loads_both_purposes_with_their_current_keys()
    {
        var ring = await Load(Valid());

        Assert.Equal("ph-1", ring.PayloadHash.CurrentKeyId);
        Assert.Equal("2026-03", ring.AuditChain.CurrentKeyId);
        Assert.Equal(["2026-03"], ring.AuditChain.KeyIds);
    }

    [Fact]
    public async Task The_configured_payload_key_hashes_like_the_same_raw_key()
    {
        var ring = await Load(Valid());
        var arguments = System.Text.Json.JsonDocument.Parse("""{"amount":42}""").RootElement;

        Assert.Equal(
            new PayloadHasher(Convert.FromBase64String(PayloadKey)).Compute("refund", arguments),
            new PayloadHasher(ring.PayloadHash).Compute("refund", arguments));
    }

    [Fact]
    public async Task Another_section_path_can_be_named()
    {
        var values = Valid().ToDictionary(pair => pair.Key.Replace("Countersign:Keys", "Secrets:Gate", StringComparison.Ordinal), pair => pair.Value);

        var ring = await Load(values, "Secrets:Gate");

        Assert.Equal("2026-03", ring.AuditChain.CurrentKeyId);
    }

    [Fact]
    public async Task A_missing_section_names_the_section()
    {
        var message = await LoadError([]);

        Assert.Contains("'Countersign:Keys' is missing", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_purpose_names_its_section()
    {
        var message = await LoadError(Changed(("Countersign:Keys:PayloadHash:Current", null), ("Countersign:Keys:PayloadHash:Keys:ph-1", null)));

        Assert.Contains("'Countersign:Keys:PayloadHash' is missing", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_base64_names_the_key_and_does_not_echo_its_value()
    {
        var message = await LoadError(Changed(("Countersign:Keys:AuditChain:Keys:2026-03", "not base64!")));

        Assert.Contains("'Countersign:Keys:AuditChain:Keys:2026-03' is not valid base64", message, StringComparison.Ordinal);
        Assert.DoesNotContain("not base64!", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_short_key_names_the_key_and_the_minimum_of_its_purpose()
    {
        var message = await LoadError(Changed(("Countersign:Keys:AuditChain:Keys:2026-03", Convert.ToBase64String(new byte[16]))));

        Assert.Contains("'Countersign:Keys:AuditChain:Keys:2026-03' is 16 bytes; keys for the audit chain need at least 32", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sixteen_byte_payload_hash_key_is_enough()
    {
        var ring = await Load(Changed(("Countersign:Keys:PayloadHash:Keys:ph-1", Convert.ToBase64String(new byte[16]))));

        Assert.Equal("ph-1", ring.PayloadHash.CurrentKeyId);
    }

    [Fact]
    public async Task An_unknown_current_id_names_the_setting_and_the_ids_there_are()
    {
        var message = await LoadError(Changed(("Countersign:Keys:AuditChain:Current", "2026-05")));

        Assert.Contains("'Countersign:Keys:AuditChain:Current' names '2026-05', which is not among 'Countersign:Keys:AuditChain:Keys' (2026-03)", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_current_id_names_the_setting()
    {
        var message = await LoadError(Changed(("Countersign:Keys:PayloadHash:Current", null)));

        Assert.Contains("'Countersign:Keys:PayloadHash:Current' is missing", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_key_id_names_the_key()
    {
        var message = await LoadError(Changed(("Countersign:Keys:AuditChain:Keys:march key", AuditKeyMarch)));

        Assert.Contains("'Countersign:Keys:AuditChain:Keys:march key' has a malformed key id", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_problem_is_reported_at_once()
    {
        var message = await LoadError(Changed(("Countersign:Keys:PayloadHash:Keys:ph-1", "%%%"), ("Countersign:Keys:AuditChain:Current", "missing")));

        Assert.Contains("PayloadHash:Keys:ph-1", message, StringComparison.Ordinal);
        Assert.Contains("AuditChain:Current", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Entries_macd_before_a_rotation_in_configuration_verify_with_the_rotated_ring()
    {
        var chainBefore = new AuditChain(new AuditKeyRing((await Load(Valid())).AuditChain));
        var first = chainBefore.Link(1, Entry("act-1"), AuditChain.GenesisMac);
        var rotated = await Load(Changed(("Countersign:Keys:AuditChain:Current", "2026-04"), ("Countersign:Keys:AuditChain:Keys:2026-04", AuditKeyApril)));
        var chainAfter = new AuditChain(new AuditKeyRing(rotated.AuditChain));

        var second = chainAfter.Link(2, Entry("act-2"), first.Mac);
        var result = chainAfter.Verify([first, second], new AuditChainHead(2, second.Mac));

        Assert.True(result.IsValid, result.Problem);
        Assert.Equal("2026-03", first.KeyId);
        Assert.Equal("2026-04", second.KeyId);
    }

    [Fact]
    public async Task Entries_macd_under_a_key_dropped_from_configuration_no_longer_verify()
    {
        var chainBefore = new AuditChain(new AuditKeyRing((await Load(Valid())).AuditChain));
        var first = chainBefore.Link(1, Entry("act-1"), AuditChain.GenesisMac);
        var replaced = await Load(Changed(("Countersign:Keys:AuditChain:Keys:2026-03", null), ("Countersign:Keys:AuditChain:Current", "2026-04"), ("Countersign:Keys:AuditChain:Keys:2026-04", AuditKeyApril)));

        var result = new AuditChain(new AuditKeyRing(replaced.AuditChain)).Verify([first]);

        Assert.Equal(1, result.FirstBrokenSequence);
        Assert.Contains("not in the key ring", result.Problem, StringComparison.Ordinal);
    }
}
