using Countersign.Audit;

namespace Countersign.StoreConformance;

/// <summary>
/// The tamper layer: someone edits the log where the store keeps it, bypassing the store, and verification must name
/// the first broken entry. Each store supplies the edits at its own storage level.
/// </summary>
public abstract partial class AuditLogConformanceTests
{
    private const int SeededEntries = 6;

    /// <summary>Gets the chain rules and keys of the log under test, to check records as readers see them.</summary>
    protected abstract AuditChain Chain { get; }

    /// <summary>Sets a string member of the stored entry, by its JSON name, leaving its MAC as it was.</summary>
    protected abstract Task EditStoredFieldAsync(long sequence, string jsonField, string newValue);

    /// <summary>Removes one stored entry, leaving the others and the chain head as they were.</summary>
    protected abstract Task DeleteStoredEntryAsync(long sequence);

    /// <summary>Exchanges the places of two stored entries: each takes the other's sequence.</summary>
    protected abstract Task SwapStoredEntriesAsync(long first, long second);

    /// <summary>
    /// Stores a record at its sequence, moving the entries from there on up by one; when it lands at the end the chain
    /// head moves to it too, as a forger covering the tail would.
    /// </summary>
    protected abstract Task InsertStoredRecordAsync(AuditRecord record);

    /// <summary>Removes the last <paramref name="count"/> stored entries, leaving the chain head as it was.</summary>
    protected abstract Task TruncateTailAsync(int count);

    [Fact]
    public async Task Edited_field_is_reported_at_its_entry()
    {
        await SeedAsync();
        await EditStoredFieldAsync(3, "actor", "mallory");

        var result = await Log.VerifyAsync();

        Assert.False(result.IsValid);
        Assert.Equal(3, result.FirstBrokenSequence);
        Assert.Contains("does not match its MAC", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Edited_field_reaches_readers_as_edited()
    {
        await SeedAsync();
        await EditStoredFieldAsync(2, "actor", "mallory");

        var records = await ToListAsync(Log.ReadAsync());

        Assert.Equal("mallory", records[1].Entry.Actor);
    }

    [Fact]
    public async Task Deleted_middle_entry_is_reported_as_missing()
    {
        await SeedAsync();
        await DeleteStoredEntryAsync(3);

        var result = await Log.VerifyAsync();

        Assert.Equal(3, result.FirstBrokenSequence);
        Assert.Contains("missing", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleted_last_entries_are_caught_by_the_chain_head()
    {
        await SeedAsync();
        await TruncateTailAsync(2);

        var result = await Log.VerifyAsync();

        Assert.Equal(SeededEntries - 1, result.FirstBrokenSequence);
        Assert.Contains("removed from the end", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Swapped_entries_break_the_link_at_the_first()
    {
        await SeedAsync();
        await SwapStoredEntriesAsync(2, 4);

        var result = await Log.VerifyAsync();

        Assert.Equal(2, result.FirstBrokenSequence);
        Assert.Contains("does not link", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forged_entry_appended_with_a_guessed_mac_is_reported()
    {
        await SeedAsync();
        await InsertStoredRecordAsync(await ForgeAfterAsync(SeededEntries));

        var result = await Log.VerifyAsync();

        Assert.Equal(SeededEntries + 1, result.FirstBrokenSequence);
        Assert.Contains("does not match its MAC", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forged_entry_inserted_in_the_middle_is_reported_there()
    {
        await SeedAsync();
        await InsertStoredRecordAsync(await ForgeAfterAsync(3));

        var result = await Log.VerifyAsync();

        Assert.Equal(4, result.FirstBrokenSequence);
        Assert.Contains("does not match its MAC", result.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(StoredTamper.Edit, 2)]
    [InlineData(StoredTamper.Delete, 2)]
    [InlineData(StoredTamper.Swap, 2)]
    [InlineData(StoredTamper.Forge, 3)]
    public async Task Records_readers_get_after_tampering_fail_verification_where_the_log_does(StoredTamper tamper, long broken)
    {
        await SeedAsync();
        await (tamper switch
        {
            StoredTamper.Edit => EditStoredFieldAsync(2, "tool", "wire_transfer"),
            StoredTamper.Delete => DeleteStoredEntryAsync(2),
            StoredTamper.Swap => SwapStoredEntriesAsync(2, 5),
            _ => InsertStoredRecordAsync(await ForgeAfterAsync(2)),
        });

        var read = Chain.Verify(await ToListAsync(Log.ReadAsync()));
        var verified = await Log.VerifyAsync();

        Assert.Equal(broken, read.FirstBrokenSequence);
        Assert.Equal(broken, verified.FirstBrokenSequence);
    }

    /// <summary>A way of tampering with the stored log.</summary>
    public enum StoredTamper
    {
        /// <summary>A field of one entry is changed.</summary>
        Edit,

        /// <summary>One entry is removed.</summary>
        Delete,

        /// <summary>Two entries change places.</summary>
        Swap,

        /// <summary>An entry written without the key is slipped in.</summary>
        Forge,
    }

    private async Task SeedAsync()
    {
        for (var i = 1; i <= SeededEntries; i++)
        {
            await Log.AppendAsync([Entry($"act-{i}", AuditEventKind.Reviewed) with { Approved = false, Actor = "bob" }]);
        }
    }

    /// <summary>
    /// Copies the entry at <paramref name="sequence"/> with another actor into the place after it, linked to it and
    /// MACed under its key id with a guessed key.
    /// </summary>
    private async Task<AuditRecord> ForgeAfterAsync(long sequence)
    {
        var original = (await ToListAsync(Log.ReadAsync())).Single(r => r.Sequence == sequence);
        var guessed = new AuditChain(new AuditKeyRing(original.KeyId, new byte[AuditKeyRing.MinimumKeyLength]));
        return guessed.Link(sequence + 1, original.Entry with { Actor = "mallory" }, original.Mac);
    }
}
