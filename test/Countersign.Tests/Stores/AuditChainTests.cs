using System.Text;
using System.Text.Json;
using Countersign.Audit;

namespace Countersign.Tests.Stores;

public sealed class AuditChainTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly byte[] KeyOne = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    private static readonly byte[] KeyTwo = Enumerable.Range(101, 32).Select(i => (byte)i).ToArray();

    private readonly AuditChain _chain = new(new AuditKeyRing("k1", KeyOne));

    private static AuditEntry Entry(string actionId, string? comment = null) => new()
    {
        Timestamp = At,
        Kind = AuditEventKind.Reviewed,
        ActionId = actionId,
        ToolName = "refund",
        Comment = comment,
    };

    private static List<AuditRecord> Build(AuditChain chain, int count, long firstSequence = 1, string previous = AuditChain.GenesisMac)
    {
        var records = new List<AuditRecord>();
        for (var i = 0; i < count; i++)
        {
            var record = chain.Link(firstSequence + i, Entry($"act-{firstSequence + i}"), previous);
            records.Add(record);
            previous = record.Mac;
        }

        return records;
    }

    private static AuditChainHead HeadOf(List<AuditRecord> records) =>
        records.Count == 0 ? AuditChainHead.Empty : new(records[^1].Sequence, records[^1].Mac);

    [Fact]
    public void Untouched_chain_verifies_clean()
    {
        var records = Build(_chain, 5);

        var result = _chain.Verify(records, HeadOf(records));

        Assert.True(result.IsValid, result.Problem);
        Assert.Equal(5, result.EntriesChecked);
    }

    [Fact]
    public void Mac_is_the_hmac_of_the_previous_mac_followed_by_the_canonical_bytes()
    {
        var record = _chain.Link(1, Entry("act-1"), AuditChain.GenesisMac);

        var data = Encoding.UTF8.GetBytes(AuditChain.GenesisMac).Concat(AuditChain.GetCanonicalBytes(1, "k1", record.Entry)).ToArray();
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(KeyOne, data));

        Assert.Equal(expected, record.Mac);
    }

    [Fact]
    public void Canonical_bytes_have_sorted_keys_and_leave_absent_fields_out()
    {
        var text = Encoding.UTF8.GetString(AuditChain.GetCanonicalBytes(7, "k1", Entry("act-1", comment: "fine") with { Reasons = ["r"], Approved = true }));

        Assert.Equal(
            """{"entry":{"action_id":"act-1","approved":true,"decision_comment":"fine","kind":"reviewed","reasons":["r"],"timestamp":"2026-03-02T09:00:00.0000000Z","tool":"refund"},"key_id":"k1","sequence":7}""",
            text);
    }

    [Fact]
    public void Canonical_bytes_of_a_fully_populated_entry_list_keys_in_ordinal_order()
    {
        var entry = new AuditEntry
        {
            Timestamp = At, Kind = AuditEventKind.Outcome, ActionId = "a", ToolName = "t", AgentId = "ag", SessionId = "s", RequestedBy = "r",
            ArgumentsJson = "{}", PayloadHash = "h", Verdict = "allow", Mode = "enforce", WouldBlock = false, NeededApproval = false, Approved = true,
            ApprovalId = "ap", DecisionSource = "policy", Actor = "policy", Comment = "c", Reasons = ["x"], ExecutionPath = "allow", Executed = true,
            ResultJson = "1", Error = "e",
        };

        using var document = JsonDocument.Parse(AuditChain.GetCanonicalBytes(1, "k1", entry));
        var wrapper = document.RootElement.EnumerateObject().Select(p => p.Name).ToList();
        var names = document.RootElement.GetProperty("entry").EnumerateObject().Select(p => p.Name).ToList();

        Assert.Equal(["entry", "key_id", "sequence"], wrapper);
        Assert.Equal(23, names.Count);
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
    }

    [Fact]
    public void Timestamp_offset_does_not_change_the_mac()
    {
        var utc = _chain.Link(1, Entry("a"), AuditChain.GenesisMac);
        var shifted = _chain.Link(1, Entry("a") with { Timestamp = At.ToOffset(TimeSpan.FromHours(2)) }, AuditChain.GenesisMac);

        Assert.Equal(utc.Mac, shifted.Mac);
    }

    [Fact]
    public void Edited_field_breaks_that_entry()
    {
        var records = Build(_chain, 5);
        records[2] = records[2] with { Entry = records[2].Entry with { Comment = "approved by ceo" } };

        var result = _chain.Verify(records, HeadOf(records));

        Assert.False(result.IsValid);
        Assert.Equal(3, result.FirstBrokenSequence);
        Assert.Contains("MAC", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Deleted_middle_entry_is_reported_as_missing()
    {
        var records = Build(_chain, 5);
        records.RemoveAt(2);

        var result = _chain.Verify(records, HeadOf(records));

        Assert.Equal(3, result.FirstBrokenSequence);
        Assert.Contains("missing", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Deleted_middle_entry_with_renumbered_successors_breaks_the_link()
    {
        var records = Build(_chain, 5);
        records.RemoveAt(2);
        records[2] = records[2] with { Sequence = 3 };
        records[3] = records[3] with { Sequence = 4 };

        var result = _chain.Verify(records);

        Assert.Equal(3, result.FirstBrokenSequence);
        Assert.Contains("does not link", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Deleted_tail_is_caught_by_the_chain_head()
    {
        var records = Build(_chain, 5);
        var head = HeadOf(records);
        records.RemoveAt(4);

        var withHead = _chain.Verify(records, head);
        var withoutHead = _chain.Verify(records);

        Assert.Equal(5, withHead.FirstBrokenSequence);
        Assert.Contains("removed from the end", withHead.Problem, StringComparison.Ordinal);
        Assert.True(withoutHead.IsValid);
    }

    [Fact]
    public void Entry_appended_without_the_key_breaks_its_mac()
    {
        var records = Build(_chain, 3);
        var forgerChain = new AuditChain(new AuditKeyRing("k1", new byte[32]));
        records.Add(forgerChain.Link(4, Entry("forged"), records[^1].Mac));

        var result = _chain.Verify(records);

        Assert.Equal(4, result.FirstBrokenSequence);
        Assert.Contains("MAC", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Entry_beyond_the_chain_head_is_reported()
    {
        var records = Build(_chain, 3);
        var head = HeadOf(records);
        records.Add(_chain.Link(4, Entry("late"), records[^1].Mac));

        var result = _chain.Verify(records, head);

        Assert.Equal(4, result.FirstBrokenSequence);
        Assert.Contains("after the chain head", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Replaced_last_entry_is_caught_by_the_chain_head()
    {
        var records = Build(_chain, 3);
        var head = HeadOf(records);
        records[2] = _chain.Link(3, Entry("replacement"), records[1].Mac);

        var result = _chain.Verify(records, head);

        Assert.Equal(3, result.FirstBrokenSequence);
        Assert.Contains("head", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Inserted_duplicate_sequence_is_reported()
    {
        var records = Build(_chain, 4);
        records.Insert(2, records[1]);

        var result = _chain.Verify(records);

        Assert.Equal(2, result.FirstBrokenSequence);
        Assert.Contains("duplicated or out of order", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Swapped_entries_break_the_link()
    {
        var records = Build(_chain, 5);
        var second = records[1];
        var fourth = records[3];
        records[1] = fourth with { Sequence = 2 };
        records[3] = second with { Sequence = 4 };

        var result = _chain.Verify(records);

        Assert.Equal(2, result.FirstBrokenSequence);
        Assert.Contains("does not link", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Reordered_entries_are_reported()
    {
        var records = Build(_chain, 4);
        (records[1], records[2]) = (records[2], records[1]);

        var result = _chain.Verify(records);

        Assert.Equal(2, result.FirstBrokenSequence);
    }

    [Fact]
    public void Unknown_key_id_is_reported()
    {
        var records = Build(_chain, 3);
        var other = new AuditChain(new AuditKeyRing("k9", KeyTwo));
        records.Add(other.Link(4, Entry("x"), records[^1].Mac));

        var result = _chain.Verify(records);

        Assert.Equal(4, result.FirstBrokenSequence);
        Assert.Contains("'k9'", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Entries_written_before_a_rotation_verify_with_the_rotated_ring()
    {
        var before = Build(_chain, 3);
        var rotated = new AuditChain(_chain.Keys.Rotate("k2", KeyTwo));
        var after = Build(rotated, 2, firstSequence: 4, previous: before[^1].Mac);
        var all = before.Concat(after).ToList();

        var result = rotated.Verify(all, HeadOf(all));

        Assert.True(result.IsValid, result.Problem);
        Assert.Equal("k1", all[0].KeyId);
        Assert.Equal("k2", all[^1].KeyId);
    }

    [Fact]
    public void Malformed_mac_text_is_reported_not_thrown()
    {
        var records = Build(_chain, 2);
        records[1] = records[1] with { Mac = "not-a-mac" };

        var result = _chain.Verify(records);

        Assert.Equal(2, result.FirstBrokenSequence);
    }

    [Fact]
    public void Record_with_an_unknown_kind_is_reported_not_thrown()
    {
        var records = Build(_chain, 3);
        records[1] = records[1] with { Entry = records[1].Entry with { Kind = (AuditEventKind)42 } };

        var result = _chain.Verify(records);

        Assert.Equal(2, result.FirstBrokenSequence);
    }

    [Fact]
    public async Task Async_verification_reports_like_the_synchronous_one()
    {
        var records = Build(_chain, 4);
        records[3] = records[3] with { Entry = records[3].Entry with { ToolName = "wire_transfer" } };

        var result = await _chain.VerifyAsync(records.ToAsyncEnumerable(), HeadOf(records));

        Assert.Equal(4, result.FirstBrokenSequence);
        Assert.Equal(4, result.EntriesChecked);
    }

    [Fact]
    public void Verification_stops_counting_at_the_first_broken_entry()
    {
        var records = Build(_chain, 6);
        records[1] = records[1] with { Entry = records[1].Entry with { ToolName = "x" } };

        var result = _chain.Verify(records);

        Assert.Equal(2, result.EntriesChecked);
    }

    [Fact]
    public void Link_refuses_a_sequence_below_one()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _chain.Link(0, Entry("a"), AuditChain.GenesisMac));
    }

    [Fact]
    public void Link_refuses_a_malformed_previous_mac()
    {
        Assert.Throws<ArgumentException>(() => _chain.Link(1, Entry("a"), "abc"));
    }

    [Fact]
    public void Link_refuses_an_entry_without_an_action_id()
    {
        Assert.Throws<ArgumentException>(() => _chain.Link(1, Entry("") , AuditChain.GenesisMac));
    }

    [Fact]
    public void Link_refuses_an_unknown_event_kind()
    {
        Assert.Throws<ArgumentException>(() => _chain.Link(1, Entry("a") with { Kind = (AuditEventKind)42 }, AuditChain.GenesisMac));
    }

    [Fact]
    public void Short_keys_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new AuditKeyRing("k1", new byte[31]));
    }

    [Fact]
    public void Malformed_key_ids_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new AuditKeyRing("k 1", KeyOne));
        Assert.Throws<ArgumentException>(() => new AuditKeyRing(new string('k', 65), KeyOne));
        Assert.ThrowsAny<ArgumentException>(() => new AuditKeyRing("", KeyOne));
    }

    [Fact]
    public void Rotating_to_a_key_id_already_in_the_ring_is_refused()
    {
        Assert.Throws<ArgumentException>(() => _chain.Keys.Rotate("k1", KeyTwo));
    }

    [Fact]
    public void Repeated_previous_key_ids_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new AuditKeyRing("k2", KeyTwo, [new("k1", KeyOne), new("k2", KeyOne)]));
    }

    [Fact]
    public void Ephemeral_rings_differ()
    {
        var a = new AuditChain(AuditKeyRing.CreateEphemeral());
        var b = new AuditChain(AuditKeyRing.CreateEphemeral());

        Assert.NotEqual(a.Link(1, Entry("x"), AuditChain.GenesisMac).Mac, b.Link(1, Entry("x"), AuditChain.GenesisMac).Mac);
    }
}
