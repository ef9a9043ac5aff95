using System.Text.Json;
using Countersign.Approvals;
using Countersign.Signoff;

namespace Countersign.Tests.Signoff;

public sealed class SignoffIssuerTests
{
    private readonly SignoffIssuer _issuer = SignoffFixtures.TrustedIssuer;

    [Fact]
    public void Issued_signoff_carries_the_approval_reviewer_comment_and_time()
    {
        var signoff = _issuer.Issue(SignoffFixtures.GrantedApproval("apr-9"));

        Assert.Equal("apr-9", signoff.ApprovalId);
        Assert.Equal("bob", signoff.ResponsibleOwner);
        Assert.Equal(SignoffFixtures.Words, signoff.VerbatimResponse);
        Assert.Equal(SignoffFixtures.DecidedAt, signoff.SignedAt);
        Assert.Equal("k-2026", signoff.KeyId);
        Assert.Matches("^[0-9a-f]{64}$", signoff.Signature!);
        Assert.True(_issuer.Verify(signoff));
    }

    [Fact]
    public void Consumed_approval_issues_a_signoff_too()
    {
        var consumed = SignoffFixtures.GrantedApproval() with { Status = ApprovalStatus.Consumed };

        Assert.True(_issuer.Verify(_issuer.Issue(consumed)));
    }

    [Theory]
    [InlineData(ApprovalStatus.Pending)]
    [InlineData(ApprovalStatus.Denied)]
    [InlineData(ApprovalStatus.Expired)]
    public void Approval_that_was_not_granted_issues_nothing(ApprovalStatus status)
    {
        var approval = SignoffFixtures.GrantedApproval() with { Status = status };

        Assert.Throws<ArgumentException>(() => _issuer.Issue(approval));
    }

    [Fact]
    public void Approval_without_an_approving_decision_issues_nothing()
    {
        var approval = SignoffFixtures.GrantedApproval() with { Decisions = [] };

        Assert.Throws<ArgumentException>(() => _issuer.Issue(approval));
    }

    [Fact]
    public void Quorum_approval_issues_from_the_decision_that_completed_it_or_from_a_named_reviewer()
    {
        var approval = SignoffFixtures.GrantedApproval() with
        {
            Quorum = 2,
            Decisions =
            [
                new Review("carol", true, "First approval: numbers check out against the ledger export.", SignoffFixtures.DecidedAt, "web"),
                new Review("dave", true, "Second approval: vendor confirmed the account by phone callback.", SignoffFixtures.DecidedAt.AddMinutes(3), "slack"),
            ],
        };

        Assert.Equal("dave", _issuer.Issue(approval).ResponsibleOwner);
        Assert.Equal("carol", _issuer.Issue(approval, "carol").ResponsibleOwner);
        Assert.Throws<ArgumentException>(() => _issuer.Issue(approval, "mallory"));
    }

    [Fact]
    public void Signoff_signed_with_another_key_does_not_verify()
    {
        var impostor = new SignoffIssuer(new SignoffKey("k-2026", "fedcba9876543210fedcba9876543210"u8));

        var forged = impostor.Issue(SignoffFixtures.GrantedApproval());

        Assert.False(_issuer.Verify(forged));
    }

    [Fact]
    public void Edited_comment_does_not_verify()
    {
        var issued = _issuer.Issue(SignoffFixtures.GrantedApproval());

        var edited = Rebuild(issued, verbatimResponse: issued.VerbatimResponse + " Also wire the bonus.");

        Assert.False(_issuer.Verify(edited));
    }

    [Fact]
    public void Invented_approval_does_not_verify()
    {
        var issued = _issuer.Issue(SignoffFixtures.GrantedApproval());

        Assert.False(_issuer.Verify(Rebuild(issued, approvalId: "apr-invented")));
        Assert.False(_issuer.Verify(Rebuild(issued, responsibleOwner: "mallory")));
        Assert.False(_issuer.Verify(Rebuild(issued, signedAt: SignoffFixtures.DecidedAt.AddDays(1))));
        Assert.False(_issuer.Verify(new HumanSignoff(SignoffFixtures.Words, "mallory", "apr-invented", SignoffFixtures.DecidedAt, "k-2026", new string('0', 64))));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-hex")]
    [InlineData("abcd")]
    public void Malformed_signature_does_not_verify(string? signature)
    {
        var issued = _issuer.Issue(SignoffFixtures.GrantedApproval());

        Assert.False(_issuer.Verify(WithOrigin(issued, issued.KeyId, signature)));
    }

    [Fact]
    public void Unknown_key_id_does_not_verify()
    {
        var issued = _issuer.Issue(SignoffFixtures.GrantedApproval());

        Assert.False(_issuer.Verify(WithOrigin(issued, "k-unknown", issued.Signature)));
        Assert.False(_issuer.Verify(WithOrigin(issued, null, issued.Signature)));
    }

    [Fact]
    public void Same_instant_in_another_offset_still_verifies()
    {
        var issued = _issuer.Issue(SignoffFixtures.GrantedApproval());

        Assert.True(_issuer.Verify(Rebuild(issued, signedAt: issued.SignedAt!.Value.ToOffset(TimeSpan.FromHours(5)))));
    }

    [Fact]
    public void Rotated_issuer_signs_with_the_new_key_and_still_verifies_the_retired_one()
    {
        var oldKey = new SignoffKey("k-old", "0123456789abcdef0123456789abcdef"u8);
        var oldSignoff = new SignoffIssuer(oldKey).Issue(SignoffFixtures.GrantedApproval());

        var rotated = new SignoffIssuer(SignoffKey.Generate("k-new"), [oldKey]);

        Assert.Equal("k-new", rotated.KeyId);
        Assert.Equal("k-new", rotated.Issue(SignoffFixtures.GrantedApproval()).KeyId);
        Assert.True(rotated.Verify(oldSignoff));
        Assert.False(new SignoffIssuer(SignoffKey.Generate("k-new")).Verify(oldSignoff));
    }

    [Fact]
    public void Keys_must_be_long_enough_named_and_distinct()
    {
        Assert.Throws<ArgumentException>(() => new SignoffKey("k", new byte[15]));
        Assert.Throws<ArgumentException>(() => new SignoffKey(" ", new byte[32]));
        Assert.Throws<ArgumentException>(() => new SignoffIssuer(SignoffKey.Generate("k"), [SignoffKey.Generate("k")]));
    }

    [Fact]
    public void Signoff_survives_json_and_still_verifies()
    {
        var issued = _issuer.Issue(SignoffFixtures.GrantedApproval());

        var copy = JsonSerializer.Deserialize<HumanSignoff>(JsonSerializer.Serialize(issued))!;

        Assert.Equal(issued, copy);
        Assert.True(_issuer.Verify(copy));
    }

    private static HumanSignoff Rebuild(
        HumanSignoff source,
        string? verbatimResponse = null,
        string? responsibleOwner = null,
        string? approvalId = null,
        DateTimeOffset? signedAt = null)
        => new(
            verbatimResponse ?? source.VerbatimResponse,
            responsibleOwner ?? source.ResponsibleOwner,
            approvalId ?? source.ApprovalId,
            signedAt ?? source.SignedAt,
            source.KeyId,
            source.Signature);

    private static HumanSignoff WithOrigin(HumanSignoff source, string? keyId, string? signature)
        => new(source.VerbatimResponse, source.ResponsibleOwner, source.ApprovalId, source.SignedAt, keyId, signature);
}
