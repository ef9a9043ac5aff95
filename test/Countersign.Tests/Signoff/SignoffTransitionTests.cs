using Countersign.Signoff;

namespace Countersign.Tests.Signoff;

public sealed class SignoffTransitionTests
{
    [Fact]
    public void Deployment_walks_from_recommended_to_rolled_back_with_signoffs()
    {
        var deployment = new Deployment("dep-42", "recommended");

        deployment.TransitionTo("signed_off", SignoffFixtures.Valid);
        deployment.TransitionTo("applied");
        var rollback = new HumanSignoff("Error rate doubled after the rollout; I am rolling it back now myself.", "bob");
        deployment.TransitionTo("rolled_back", rollback);

        Assert.Equal("rolled_back", deployment.Status);
        Assert.Equal(rollback, deployment.Signoff);
    }

    [Fact]
    public void Moving_into_a_gated_status_without_signoff_throws_and_leaves_the_record_unchanged()
    {
        var deployment = new Deployment("dep-1", "recommended") { Notes = "canary green" };
        var before = deployment with { };

        var error = Assert.Throws<SignoffRequiredException>(() => deployment.TransitionTo("signed_off"));

        Assert.Equal("signed_off", error.Status);
        Assert.Equal("recommended", deployment.Status);
        Assert.Null(deployment.Signoff);
        Assert.Equal(before, deployment);
    }

    [Fact]
    public void Moving_into_a_gated_status_with_an_incomplete_signoff_throws_and_keeps_the_old_signoff()
    {
        var earlier = new HumanSignoff("draft", "alice");
        var deployment = new Deployment("dep-1", "recommended", earlier);

        Assert.Throws<SignoffRequiredException>(() => deployment.TransitionTo("applied", new HumanSignoff(SignoffFixtures.Words, " ")));

        Assert.Equal("recommended", deployment.Status);
        Assert.Same(earlier, deployment.Signoff);
    }

    [Fact]
    public void Clearing_the_signoff_while_gated_throws_and_leaves_the_record_unchanged()
    {
        var deployment = new Deployment("dep-1", "applied", SignoffFixtures.Valid);

        Assert.Throws<SignoffRequiredException>(() => deployment.ReplaceSignoff(null));

        Assert.Equal("applied", deployment.Status);
        Assert.Equal(SignoffFixtures.Valid, deployment.Signoff);
    }

    [Fact]
    public void Blanking_a_required_field_while_gated_throws_and_leaves_the_record_unchanged()
    {
        var signoff = SignoffFixtures.Valid;
        var deployment = new Deployment("dep-1", "applied", signoff);

        var blankWords = new HumanSignoff("   ", signoff.ResponsibleOwner);
        var error = Assert.Throws<SignoffRequiredException>(() => deployment.TransitionTo("applied", blankWords));

        Assert.Equal(["VerbatimResponse"], error.MissingFields);
        Assert.Same(signoff, deployment.Signoff);
        Assert.Equal("applied", deployment.Status);
    }

    [Fact]
    public void Leaving_the_gated_statuses_allows_clearing_the_signoff()
    {
        var deployment = new Deployment("dep-1", "applied", SignoffFixtures.Valid);

        deployment.TransitionTo("recommended", null);

        Assert.Equal("recommended", deployment.Status);
        Assert.Null(deployment.Signoff);
    }

    [Fact]
    public void Moving_between_gated_statuses_keeps_the_signoff_on_file()
    {
        var deployment = new Deployment("dep-1", "signed_off", SignoffFixtures.Valid);

        deployment.TransitionTo("applied");

        Assert.Equal(SignoffFixtures.Valid, deployment.Signoff);
    }

    [Fact]
    public void Try_transition_reports_missing_fields_without_throwing_or_changing_the_record()
    {
        var deployment = new Deployment("dep-1", "recommended");

        var moved = deployment.TryTransitionTo("applied", new HumanSignoff(SignoffFixtures.Words, null), out var missing);

        Assert.False(moved);
        Assert.Equal(["ResponsibleOwner"], missing);
        Assert.Equal("recommended", deployment.Status);
        Assert.Null(deployment.Signoff);
    }

    [Fact]
    public void Try_transition_moves_the_record_when_the_gate_allows()
    {
        var deployment = new Deployment("dep-1", "recommended");

        var moved = deployment.TryTransitionTo("applied", SignoffFixtures.Valid, out var missing);

        Assert.True(moved);
        Assert.Empty(missing);
        Assert.Equal("applied", deployment.Status);
    }

    [Fact]
    public void Transition_to_an_undefined_enum_status_is_refused_and_changes_nothing()
    {
        var promotion = new ModelPromotion("m-1", ModelStage.Candidate);

        Assert.Throws<ArgumentOutOfRangeException>(() => promotion.TransitionTo((ModelStage)9));

        Assert.Equal(ModelStage.Candidate, promotion.Status);
    }

    [Fact]
    public async Task Concurrent_transitions_never_leave_a_gated_status_without_a_signoff()
    {
        var deployment = new Deployment("dep-1", "recommended");
        using var start = new ManualResetEventSlim();
        var promote = Task.Run(() =>
        {
            start.Wait();
            for (var i = 0; i < 2_000; i++)
            {
                deployment.TryTransitionTo("applied", SignoffFixtures.Valid, out _);
                deployment.TryTransitionTo("recommended", null, out _);
            }
        });
        var clear = Task.Run(() =>
        {
            start.Wait();
            for (var i = 0; i < 2_000; i++)
            {
                try
                {
                    deployment.ReplaceSignoff(null);
                }
                catch (SignoffRequiredException)
                {
                    // Refused because the record was gated at that moment: the refusal is the behaviour under test.
                }

                // A copy reads the status and sign-off as one pair, so it shows whether a torn state ever existed.
                var snapshot = deployment with { };
                Assert.True(snapshot.Status != "applied" || snapshot.Signoff is not null);
            }
        });

        start.Set();
        await Task.WhenAll(promote, clear);

        Assert.True(deployment.Status != "applied" || deployment.Signoff is not null);
    }
}
