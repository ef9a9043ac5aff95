using Countersign.Approvals;
using Countersign.Signoff;

namespace Countersign.Postgres.Tests.Signoff;

[SignoffGate("signed_off", "applied", "rolled_back")]
public sealed record StoredDeployment(string DeploymentId, string Status, HumanSignoff? Signoff = null)
    : SignoffGatedRecord<string>(Status, Signoff)
{
    public string? Notes { get; set; }

    public string? Environment { get; init; }
}

/// <summary>Same shape as <see cref="StoredDeployment"/>, but its gate also covers "verified".</summary>
[SignoffGate("signed_off", "applied", "rolled_back", "verified")]
public sealed record WiderDeployment(string DeploymentId, string Status, HumanSignoff? Signoff = null)
    : SignoffGatedRecord<string>(Status, Signoff);

public enum ReleaseStage
{
    Draft = 0,
    Promoted = 1,
    Retired = 2,
}

[SignoffGate(ReleaseStage.Promoted, RequiredFields = SignoffFields.Default | SignoffFields.SignedAt | SignoffFields.ApprovalId)]
public sealed record StoredRelease(string ReleaseId, ReleaseStage Status, HumanSignoff? Signoff = null)
    : SignoffGatedRecord<ReleaseStage>(Status, Signoff);

[SignoffGate("executed", RequireIssuedSignoff = true)]
public sealed record StoredPayout(string PayoutId, string Status, HumanSignoff? Signoff = null)
    : SignoffGatedRecord<string>(Status, Signoff);

public static class StoredFixtures
{
    public const string Words = "I checked the migration plan and the backup restore test; apply it tonight.";

    public static readonly DateTimeOffset DecidedAt = new(2026, 11, 23, 14, 5, 6, 789, TimeSpan.FromHours(1));

    public static readonly SignoffIssuer Issuer = RegisterIssuer();

    public static HumanSignoff Valid => new(Words, "alice");

    public static HumanSignoff Complete => new(Words, "alice", "apr-1", DecidedAt);

    public static HumanSignoff Issued() => Issuer.Issue(new ApprovalRequest
    {
        Id = "apr-pay-1",
        ActionId = "act-pay-1",
        ToolName = "payouts.execute",
        PayloadHash = new string('b', 64),
        RedactedArgumentsJson = "{}",
        CreatedAt = DecidedAt.AddMinutes(-1),
        ExpiresAt = DecidedAt.AddHours(1),
        Status = ApprovalStatus.Granted,
        Decisions = [new Review("bob", true, Words, DecidedAt, "web")],
    });

    private static SignoffIssuer RegisterIssuer()
    {
        var issuer = new SignoffIssuer(new SignoffKey("k-store", "00112233445566778899aabbccddeeff"u8));
        SignoffTrust.Register<StoredPayout>(issuer);
        return issuer;
    }
}
