using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Countersign.Signoff;
using CsCheck;

namespace Countersign.Tests.Signoff;

/// <summary>
/// Random sequences of constructions, transitions, sign-off replacements, <see langword="with"/> copies and JSON
/// round trips (some with tampered JSON) against two record types, checked against an independent oracle: no record
/// ever sits in a gated status without a valid sign-off, a refused step leaves its record exactly as it was, and a
/// step is refused exactly when the oracle says the result would be invalid.
/// </summary>
public sealed class SignoffGatePropertyTests
{
    private static readonly string[] Statuses = ["recommended", "signed_off", "applied", "rolled_back", "pending", "executed"];
    private static readonly string[] DeploymentGated = ["signed_off", "applied", "rolled_back"];
    private static readonly int[] Invisible = [0x180E, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF];

    private static readonly Gen<string?> Text = Gen.Frequency(
        (2, Gen.Const<string?>(SignoffFixtures.Words)),
        (1, Gen.Const((string?)null)),
        (4, Gen.String[Gen.Char["abcxyz .,\t\n\u00A0\u200B\u3000\0é🚀"], 0, 70].Select(s => (string?)s)),
        (2, Gen.Int[40, 60].Select(n => (string?)new string('w', n))));

    private static readonly Gen<string?> Owner = Gen.OneOfConst<string?>(null, "", " ", "\u200B", "alice", "bob");

    private static readonly Gen<SignoffSpec?> Signoff = Gen.Frequency(
        (1, Gen.Const((SignoffSpec?)null)),
        (5, Gen.Select(Text, Owner, Gen.Enum<Origin>(), (text, owner, origin) => (SignoffSpec?)new SignoffSpec(text, owner, origin))));

    private static readonly Gen<Operation> Operations = Gen.Frequency(
        (3, Gen.Select(Gen.Bool, Gen.OneOfConst(Statuses), Signoff, (payout, status, signoff) => (Operation)new Construct(payout, status, signoff))),
        (4, Gen.Select(Gen.Int[0, 30], Gen.OneOfConst(Statuses), Signoff, Gen.Bool, (target, status, signoff, keep) => (Operation)new Transition(target, status, signoff, keep))),
        (2, Gen.Select(Gen.Int[0, 30], Signoff, (target, signoff) => (Operation)new Replace(target, signoff))),
        (2, Gen.Select(Gen.Int[0, 30], Gen.String[0, 8], (target, notes) => (Operation)new WithCopy(target, notes))),
        (3, Gen.Select(Gen.Int[0, 30], Gen.Enum<Tamper>(), Gen.OneOfConst(Statuses), (target, tamper, status) => (Operation)new JsonRoundTrip(target, tamper, status))));

    public enum Origin
    {
        HandBuilt,
        Issued,
        IssuedThenEdited,
        IssuedByImpostor,
    }

    public enum Tamper
    {
        None,
        SetStatus,
        DropSignoff,
        BlankVerbatim,
        ChangeOwner,
    }

    [Fact]
    public void No_sequence_of_steps_puts_a_record_in_a_gated_status_without_a_valid_signoff()
    {
        _ = SignoffFixtures.TrustedIssuer;
        Operations.Array[1, 40].Sample(Run, iter: 400);
    }

    private static void Run(Operation[] operations)
    {
        var world = new List<ISignoffGatedRecord>();
        foreach (var operation in operations)
        {
            Apply(world, operation);
            Assert.All(world, record => Assert.True(Oracle(record.GetType(), record.StatusName, record.Signoff), $"invalid record after {operation}: {record}"));
        }
    }

    private static void Apply(List<ISignoffGatedRecord> world, Operation operation)
    {
        switch (operation)
        {
            case Construct construct:
            {
                var type = construct.Payout ? typeof(Payout) : typeof(Deployment);
                var signoff = construct.Signoff?.Build();
                var allowed = Oracle(type, construct.Status, signoff);
                var built = Attempt(() => construct.Payout
                    ? (ISignoffGatedRecord)new Payout("p", construct.Status, signoff)
                    : new Deployment("d", construct.Status, signoff));
                Assert.Equal(allowed, built is not null);
                if (built is not null)
                {
                    world.Add(built);
                }

                break;
            }

            case Transition transition when world.Count > 0:
            {
                var target = world[transition.Target % world.Count];
                var before = Snapshot(target);
                var signoff = transition.KeepSignoff ? target.Signoff : transition.Signoff?.Build();
                var allowed = Oracle(target.GetType(), transition.Status, signoff);
                var moved = Attempt(() =>
                {
                    var record = (SignoffGatedRecord<string>)target;
                    if (transition.KeepSignoff)
                    {
                        record.TransitionTo(transition.Status);
                    }
                    else
                    {
                        record.TransitionTo(transition.Status, signoff);
                    }

                    return target;
                });
                Assert.Equal(allowed, moved is not null);
                Assert.Equal(allowed ? transition.Status : before.StatusName, target.StatusName);
                if (!allowed)
                {
                    Assert.Equal(before, target);
                }

                break;
            }

            case Replace replace when world.Count > 0:
            {
                var target = world[replace.Target % world.Count];
                var before = Snapshot(target);
                var signoff = replace.Signoff?.Build();
                var allowed = Oracle(target.GetType(), target.StatusName, signoff);
                var replaced = Attempt(() =>
                {
                    ((SignoffGatedRecord<string>)target).ReplaceSignoff(signoff);
                    return target;
                });
                Assert.Equal(allowed, replaced is not null);
                if (!allowed)
                {
                    Assert.Equal(before, target);
                }

                break;
            }

            case WithCopy copy when world.Count > 0:
            {
                var target = world[copy.Target % world.Count];
                world.Add(target switch
                {
                    Deployment deployment => deployment with { Notes = copy.Notes },
                    Payout payout => payout with { },
                    _ => throw new InvalidOperationException(),
                });
                break;
            }

            case JsonRoundTrip roundTrip when world.Count > 0:
            {
                var target = world[roundTrip.Target % world.Count];
                var node = JsonSerializer.SerializeToNode(target, target.GetType())!;
                var status = roundTrip.Tamper == Tamper.SetStatus ? roundTrip.Status : target.StatusName;
                var signoffNode = node["Signoff"];
                switch (roundTrip.Tamper)
                {
                    case Tamper.SetStatus:
                        node["Status"] = roundTrip.Status;
                        break;
                    case Tamper.DropSignoff:
                        node.AsObject().Remove("Signoff");
                        break;
                    case Tamper.BlankVerbatim when signoffNode is not null:
                        signoffNode["VerbatimResponse"] = "   ";
                        break;
                    case Tamper.ChangeOwner when signoffNode is not null:
                        signoffNode["ResponsibleOwner"] = "mallory";
                        break;
                }

                var signoff = node["Signoff"]?.Deserialize<HumanSignoff>();
                var allowed = Oracle(target.GetType(), status, signoff);
                var read = Attempt(() => (ISignoffGatedRecord)node.Deserialize(target.GetType())!);
                Assert.Equal(allowed, read is not null);
                if (read is not null)
                {
                    world.Add(read);
                }

                break;
            }
        }
    }

    private static T? Attempt<T>(Func<T> operation)
        where T : class
    {
        try
        {
            return operation();
        }
        catch (SignoffRequiredException)
        {
            return null;
        }
    }

    private static ISignoffGatedRecord Snapshot(ISignoffGatedRecord record) => record switch
    {
        Deployment deployment => deployment with { },
        Payout payout => payout with { },
        _ => throw new InvalidOperationException(),
    };

    /// <summary>The gate, re-stated independently of the library's code.</summary>
    private static bool Oracle(Type type, string status, HumanSignoff? signoff)
    {
        var gated = type == typeof(Payout) ? status == "executed" : DeploymentGated.Contains(status);
        if (!gated)
        {
            return true;
        }

        return signoff is not null
            && Significant(signoff.VerbatimResponse) >= 50
            && Significant(signoff.ResponsibleOwner) > 0
            && (type != typeof(Payout) || SignoffFixtures.TrustedIssuer.Verify(signoff));
    }

    private static int Significant(string? text) =>
        text is null || text.Contains('\0', StringComparison.Ordinal)
            ? 0
            : text.EnumerateRunes().Count(rune => !Rune.IsWhiteSpace(rune) && !Invisible.Contains(rune.Value));

    public abstract record Operation;

    public sealed record Construct(bool Payout, string Status, SignoffSpec? Signoff) : Operation;

    public sealed record Transition(int Target, string Status, SignoffSpec? Signoff, bool KeepSignoff) : Operation;

    public sealed record Replace(int Target, SignoffSpec? Signoff) : Operation;

    public sealed record WithCopy(int Target, string Notes) : Operation;

    public sealed record JsonRoundTrip(int Target, Tamper Tamper, string Status) : Operation;

    public sealed record SignoffSpec(string? Text, string? Owner, Origin Origin)
    {
        private static readonly SignoffIssuer Impostor = new(new SignoffKey("k-2026", "fedcba9876543210fedcba9876543210"u8));

        public HumanSignoff Build()
        {
            if (Origin == Origin.HandBuilt)
            {
                return new HumanSignoff(Text, Owner, "apr-1", SignoffFixtures.DecidedAt);
            }

            var approval = SignoffFixtures.GrantedApproval(comment: Text!, reviewer: Owner ?? string.Empty);
            var issued = (Origin == Origin.IssuedByImpostor ? Impostor : SignoffFixtures.TrustedIssuer).Issue(approval);
            return Origin == Origin.IssuedThenEdited
                ? new HumanSignoff(issued.VerbatimResponse + " and more", issued.ResponsibleOwner, issued.ApprovalId, issued.SignedAt, issued.KeyId, issued.Signature)
                : issued;
        }
    }
}
