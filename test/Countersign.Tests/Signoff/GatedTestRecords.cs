using Countersign.Approvals;
using Countersign.Signoff;

namespace Countersign.Tests.Signoff;

[SignoffGate("signed_off", "applied", "rolled_back")]
public sealed record Deployment(string DeploymentId, string Status, HumanSignoff? Signoff = null)
    : SignoffGatedRecord<string>(Status, Signoff)
{
    public string? Notes { get; set; }

    public string? Environment { get; init; }
}

public enum ModelStage
{
    Candidate = 0,
    Promoted = 1,
    Retired = 2,
}

[SignoffGate(ModelStage.Promoted, MinimumVerbatimLength = 20, RequiredFields = SignoffFields.Default | SignoffFields.SignedAt)]
public sealed record ModelPromotion(string ModelId, ModelStage Status, HumanSignoff? Signoff = null)
    : SignoffGatedRecord<ModelStage>(Status, Signoff);

/// <summary>Requires sign-offs issued by <see cref="SignoffFixtures.TrustedIssuer"/>.</summary>
[SignoffGate("executed", RequireIssuedSignoff = true)]
public sealed record Payout(string PayoutId, string Status, HumanSignoff? Signoff = null)
    : SignoffGatedRecord<string>(Status, Signoff);

/// <summary>Requires issued sign-offs, but no verifier is ever registered for it.</summary>
[SignoffGate("executed", RequireIssuedSignoff = true)]
public sealed record UnverifiableTransfer(string Status, HumanSignoff? Signoff = null)
    : SignoffGatedRecord<string>(Status, Signoff);

/// <summary>Only asks for an owner, so it can hold states that <see cref="StrictChange"/> refuses.</summary>
[SignoffGate("applied", RequiredFields = SignoffFields.ResponsibleOwner)]
public sealed record LooseChange(string Status, HumanSignoff? Signoff = null)
    : SignoffGatedRecord<string>(Status, Signoff);

[SignoffGate("applied")]
public sealed record StrictChange : SignoffGatedRecord<string>
{
    public StrictChange(string status, HumanSignoff? signoff = null)
        : base(status, signoff)
    {
    }

    /// <summary>Copies another record type's gate state through the base copy constructor.</summary>
    public StrictChange(LooseChange source)
        : base(source)
    {
    }
}

[SignoffGate("applied")]
public record ChangeRequest : SignoffGatedRecord<string>
{
    public ChangeRequest(string status, HumanSignoff? signoff = null)
        : base(status, signoff)
    {
    }
}

/// <summary>Adds a gated status and a stricter length to its base's gate.</summary>
[SignoffGate("hotfixed", MinimumVerbatimLength = 80, RequiredFields = SignoffFields.ApprovalId)]
public sealed record HotfixRequest : ChangeRequest
{
    public HotfixRequest(string status, HumanSignoff? signoff = null)
        : base(status, signoff)
    {
    }
}

public sealed record UndeclaredRecord(string Status) : SignoffGatedRecord<string>(Status);

[SignoffGate(ModelStage.Promoted)]
public sealed record MismatchedDeclaration(string Status) : SignoffGatedRecord<string>(Status);

[SignoffGate("applied", MinimumVerbatimLength = 0)]
public sealed record ZeroLengthDeclaration(string Status) : SignoffGatedRecord<string>(Status);

[SignoffGate("applied", RequiredFields = SignoffFields.None)]
public sealed record NothingRequiredDeclaration(string Status) : SignoffGatedRecord<string>(Status);

public sealed record DecimalStatusRecord(decimal Status) : SignoffGatedRecord<decimal>(Status);

/// <summary>Sign-offs and approvals shared by the sign-off tests; touching it registers the trusted issuer for <see cref="Payout"/>.</summary>
public static class SignoffFixtures
{
    public const string Words = "I reviewed the rollout plan and the canary metrics; ship it to production.";

    public static readonly DateTimeOffset DecidedAt = new(2026, 11, 23, 9, 30, 0, TimeSpan.Zero);

    public static readonly SignoffIssuer TrustedIssuer = RegisterTrustedIssuer();

    public static HumanSignoff Valid => new(Words, "alice@example.com");

    public static HumanSignoff Complete => new(Words, "alice@example.com", "apr-1", DecidedAt);

    public static ApprovalRequest GrantedApproval(string id = "apr-7", string comment = Words, string reviewer = "bob") => new()
    {
        Id = id,
        ActionId = "act-" + id,
        ToolName = "payouts.execute",
        PayloadHash = new string('a', 64),
        RedactedArgumentsJson = """{"amount":1200}""",
        RequestedBy = "agent-runner",
        CreatedAt = DecidedAt.AddMinutes(-5),
        ExpiresAt = DecidedAt.AddHours(1),
        GrantExpiresAt = DecidedAt.AddMinutes(30),
        Status = ApprovalStatus.Granted,
        Decisions = [new Review(reviewer, Approved: true, comment, DecidedAt, "web")],
    };

    private static SignoffIssuer RegisterTrustedIssuer()
    {
        var issuer = new SignoffIssuer(new SignoffKey("k-2026", "0123456789abcdef0123456789abcdef"u8));
        SignoffTrust.Register<Payout>(issuer);
        return issuer;
    }
}
