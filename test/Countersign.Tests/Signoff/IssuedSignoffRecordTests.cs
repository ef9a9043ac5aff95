using System.Text.Json;
using System.Text.Json.Nodes;
using Countersign.Signoff;

namespace Countersign.Tests.Signoff;

public sealed class IssuedSignoffRecordTests
{
    private readonly SignoffIssuer _issuer = SignoffFixtures.TrustedIssuer;

    [Fact]
    public void Record_requiring_issued_signoffs_accepts_one_issued_from_a_granted_approval()
    {
        var payout = new Payout("pay-1", "pending");

        payout.TransitionTo("executed", _issuer.Issue(SignoffFixtures.GrantedApproval()));

        Assert.Equal("executed", payout.Status);
        Assert.Equal("apr-7", payout.Signoff!.ApprovalId);
    }

    [Fact]
    public void Hand_built_signoff_with_invented_text_is_rejected_however_complete_it_looks()
    {
        var handBuilt = new HumanSignoff(SignoffFixtures.Words, "bob", "apr-7", SignoffFixtures.DecidedAt);
        Payout? built = null;

        var error = Assert.Throws<SignoffRequiredException>(() => built = new Payout("pay-1", "executed", handBuilt));

        Assert.Null(built);
        Assert.Equal(["Signature"], error.MissingFields);
        Assert.Contains("trusted sign-off issuer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Signoff_from_an_untrusted_key_is_rejected_and_the_record_is_unchanged()
    {
        var impostor = new SignoffIssuer(new SignoffKey("k-2026", "fedcba9876543210fedcba9876543210"u8));
        var payout = new Payout("pay-1", "pending");

        var error = Assert.Throws<SignoffRequiredException>(() => payout.TransitionTo("executed", impostor.Issue(SignoffFixtures.GrantedApproval())));

        Assert.Equal(["Signature"], error.MissingFields);
        Assert.Equal("pending", payout.Status);
        Assert.Null(payout.Signoff);
    }

    [Fact]
    public void Issued_signoff_with_an_edited_comment_is_rejected()
    {
        var issued = _issuer.Issue(SignoffFixtures.GrantedApproval());
        var edited = new HumanSignoff(issued.VerbatimResponse + " And the second transfer too.", issued.ResponsibleOwner, issued.ApprovalId, issued.SignedAt, issued.KeyId, issued.Signature);

        Assert.Throws<SignoffRequiredException>(() => new Payout("pay-1", "executed", edited));
    }

    [Fact]
    public void Issued_signoff_moved_to_an_invented_approval_is_rejected()
    {
        var issued = _issuer.Issue(SignoffFixtures.GrantedApproval());
        var invented = new HumanSignoff(issued.VerbatimResponse, issued.ResponsibleOwner, "apr-never-existed", issued.SignedAt, issued.KeyId, issued.Signature);

        Assert.Throws<SignoffRequiredException>(() => new Payout("pay-1", "executed", invented));
    }

    [Fact]
    public void Issued_signoff_still_needs_the_declared_fields()
    {
        var terse = _issuer.Issue(SignoffFixtures.GrantedApproval(comment: "ok"));

        var error = Assert.Throws<SignoffRequiredException>(() => new Payout("pay-1", "executed", terse));

        Assert.Equal(["VerbatimResponse"], error.MissingFields);
    }

    [Fact]
    public void Json_carrying_a_tampered_issued_signoff_is_rejected()
    {
        var payout = new Payout("pay-1", "executed", _issuer.Issue(SignoffFixtures.GrantedApproval()));
        var json = JsonSerializer.Serialize(payout);
        var node = JsonNode.Parse(json)!;
        node["Signoff"]!["ResponsibleOwner"] = "mallory";

        Assert.Equal(payout, JsonSerializer.Deserialize<Payout>(json));
        Assert.Throws<SignoffRequiredException>(() => node.Deserialize<Payout>());
    }

    [Fact]
    public void Record_type_without_a_registered_verifier_fails_closed()
    {
        var issued = _issuer.Issue(SignoffFixtures.GrantedApproval());

        var error = Assert.Throws<InvalidOperationException>(() => new UnverifiableTransfer("executed", issued));

        Assert.Contains("SignoffTrust.Register<UnverifiableTransfer>", error.Message, StringComparison.Ordinal);
        Assert.Equal("draft", new UnverifiableTransfer("draft").Status);
    }

    [Fact]
    public void Only_gated_record_types_can_be_given_a_verifier()
    {
        Assert.Throws<ArgumentException>(() => SignoffTrust.Register(typeof(string), _issuer));
    }
}
