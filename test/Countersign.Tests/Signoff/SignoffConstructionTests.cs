using Countersign.Signoff;

namespace Countersign.Tests.Signoff;

public sealed class SignoffConstructionTests
{
    [Fact]
    public void Record_in_an_advisory_status_needs_no_signoff()
    {
        var deployment = new Deployment("dep-1", "recommended");

        Assert.Equal("recommended", deployment.Status);
        Assert.Null(deployment.Signoff);
    }

    [Fact]
    public void Record_in_a_gated_status_with_a_complete_signoff_is_built()
    {
        var deployment = new Deployment("dep-1", "applied", SignoffFixtures.Valid);

        Assert.Equal("applied", deployment.Status);
        Assert.Equal(SignoffFixtures.Valid, deployment.Signoff);
    }

    [Fact]
    public void Constructing_in_a_gated_status_without_signoff_throws_and_names_type_status_and_fields()
    {
        Deployment? built = null;

        var error = Assert.Throws<SignoffRequiredException>(() => built = new Deployment("dep-1", "applied"));

        Assert.Null(built);
        Assert.Equal(typeof(Deployment), error.RecordType);
        Assert.Equal("applied", error.Status);
        Assert.Equal(["VerbatimResponse", "ResponsibleOwner"], error.MissingFields);
        Assert.Null(error.ActionId);
        Assert.IsAssignableFrom<CountersignException>(error);
        Assert.Contains("Deployment", error.Message, StringComparison.Ordinal);
        Assert.Contains("'applied'", error.Message, StringComparison.Ordinal);
        Assert.Contains("at least 50 characters", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \t\r\n   ")]
    [InlineData("Too short to count as a human's considered words.")]
    public void Constructing_with_a_blank_or_short_verbatim_response_throws(string words)
    {
        Assert.True(SignoffText.CountSignificant(words) < 50);

        var error = Assert.Throws<SignoffRequiredException>(() => new Deployment("dep-1", "signed_off", new HumanSignoff(words, "alice")));

        Assert.Equal(["VerbatimResponse"], error.MissingFields);
    }

    [Fact]
    public void Whitespace_and_invisible_characters_do_not_count_towards_the_verbatim_length()
    {
        var padded = string.Join("\u200B \u00A0", "Looks fine to me, go ahead.".ToCharArray());
        Assert.True(padded.Length >= 50);

        var error = Assert.Throws<SignoffRequiredException>(() => new Deployment("dep-1", "applied", new HumanSignoff(padded, "alice")));

        Assert.Equal(["VerbatimResponse"], error.MissingFields);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" \u3000 ")]
    public void Constructing_without_a_responsible_owner_throws(string? owner)
    {
        var error = Assert.Throws<SignoffRequiredException>(() => new Deployment("dep-1", "applied", new HumanSignoff(SignoffFixtures.Words, owner)));

        Assert.Equal(["ResponsibleOwner"], error.MissingFields);
    }

    [Fact]
    public void Verbatim_response_of_exactly_the_minimum_length_is_enough()
    {
        var words = new string('x', 50);

        var deployment = new Deployment("dep-1", "applied", new HumanSignoff(words, "alice"));

        Assert.Equal(words, deployment.Signoff!.VerbatimResponse);
    }

    [Fact]
    public void Status_comparison_is_ordinal_so_other_spellings_are_not_gated()
    {
        var deployment = new Deployment("dep-1", "Applied");

        Assert.Equal("Applied", deployment.Status);
    }

    [Fact]
    public void Enum_status_is_gated_by_its_declared_members_and_required_fields()
    {
        var error = Assert.Throws<SignoffRequiredException>(() => new ModelPromotion("m-1", ModelStage.Promoted, SignoffFixtures.Valid));

        Assert.Equal("Promoted", error.Status);
        Assert.Equal(["SignedAt"], error.MissingFields);
        Assert.Equal(ModelStage.Promoted, new ModelPromotion("m-1", ModelStage.Promoted, SignoffFixtures.Complete).Status);
        Assert.Equal(ModelStage.Retired, new ModelPromotion("m-1", ModelStage.Retired).Status);
    }

    [Fact]
    public void Configured_minimum_length_replaces_the_default()
    {
        var exactlyTwenty = new HumanSignoff("Promote it: evals pass.", "carol", signedAt: SignoffFixtures.DecidedAt);

        Assert.Equal(ModelStage.Promoted, new ModelPromotion("m-1", ModelStage.Promoted, exactlyTwenty).Status);
    }

    [Fact]
    public void Undefined_enum_status_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ModelPromotion("m-1", (ModelStage)42));
    }

    [Fact]
    public void Null_string_status_is_refused()
    {
        Assert.Throws<ArgumentNullException>(() => new Deployment("dep-1", null!));
    }

    [Fact]
    public void Subtype_is_held_to_its_own_and_its_base_declarations()
    {
        var error = Assert.Throws<SignoffRequiredException>(() => new HotfixRequest("applied", SignoffFixtures.Valid));
        Assert.Equal(["VerbatimResponse", "ApprovalId"], error.MissingFields);

        var hotfixError = Assert.Throws<SignoffRequiredException>(() => new HotfixRequest("hotfixed", SignoffFixtures.Complete));
        Assert.Equal(["VerbatimResponse"], hotfixError.MissingFields);

        Assert.Equal("applied", new ChangeRequest("applied", SignoffFixtures.Valid).Status);
    }
}
