using System.Reflection;
using Countersign.Signoff;

namespace Countersign.Tests.Signoff;

public sealed class SignoffInitializerWithAndCopyTests
{
    [Theory]
    [InlineData(typeof(SignoffGatedRecord<string>))]
    [InlineData(typeof(Deployment))]
    [InlineData(typeof(ModelPromotion))]
    public void Status_and_signoff_have_no_setter_so_initializers_and_with_cannot_name_them(Type recordType)
    {
        foreach (var name in new[] { "Status", "Signoff" })
        {
            var property = recordType.GetProperty(name, BindingFlags.Public | BindingFlags.Instance)!;

            Assert.Null(property.SetMethod);
            Assert.True(property.DeclaringType!.IsGenericType);
            Assert.Equal(typeof(SignoffGatedRecord<>), property.DeclaringType.GetGenericTypeDefinition());
        }
    }

    [Fact]
    public void Signoff_fields_have_no_setter_so_an_accepted_signoff_cannot_be_edited()
    {
        Assert.All(typeof(HumanSignoff).GetProperties(), property => Assert.Null(property.SetMethod));
    }

    [Fact]
    public void Object_initializer_on_a_gated_construction_without_signoff_throws_before_any_member_is_set()
    {
        Deployment? built = null;

        Assert.Throws<SignoffRequiredException>(() => built = new Deployment("dep-1", "applied") { Notes = "n", Environment = "prod" });

        Assert.Null(built);
    }

    [Fact]
    public void Object_initializer_in_the_other_order_throws_the_same_way()
    {
        Deployment? built = null;

        Assert.Throws<SignoffRequiredException>(() => built = new Deployment("dep-1", "applied") { Environment = "prod", Notes = "n" });

        Assert.Null(built);
    }

    [Fact]
    public void Object_initializer_with_an_incomplete_signoff_throws_whatever_the_member_order()
    {
        var incomplete = new HumanSignoff("ok", "alice");
        Deployment? first = null;
        Deployment? second = null;

        Assert.Throws<SignoffRequiredException>(() => first = new Deployment("dep-1", "signed_off", incomplete) { Notes = "n", Environment = "prod" });
        Assert.Throws<SignoffRequiredException>(() => second = new Deployment("dep-1", "signed_off", incomplete) { Environment = "prod", Notes = "n" });

        Assert.Null(first);
        Assert.Null(second);
    }

    [Fact]
    public void Object_initializer_in_any_order_keeps_a_valid_gated_record_valid()
    {
        var first = new Deployment("dep-1", "applied", SignoffFixtures.Valid) { Notes = "n", Environment = "prod" };
        var second = new Deployment("dep-1", "applied", SignoffFixtures.Valid) { Environment = "prod", Notes = "n" };

        Assert.Equal(first, second);
        Assert.Equal(SignoffFixtures.Valid, first.Signoff);
    }

    [Fact]
    public void With_expression_copies_the_status_and_signoff_as_they_are()
    {
        var original = new Deployment("dep-1", "applied", SignoffFixtures.Valid) { Environment = "prod" };

        var copy = original with { Environment = "staging", Notes = "replayed" };

        Assert.Equal("applied", copy.Status);
        Assert.Same(original.Signoff, copy.Signoff);
    }

    [Fact]
    public void With_expression_through_the_base_type_copies_the_gate_state_of_the_runtime_type()
    {
        SignoffGatedRecord<string> original = new Deployment("dep-1", "applied", SignoffFixtures.Valid);

        var copy = original with { };

        Assert.IsType<Deployment>(copy);
        Assert.Equal(SignoffFixtures.Valid, copy.Signoff);
    }

    [Fact]
    public void Refused_change_to_a_with_copy_throws_and_leaves_copy_and_original_unchanged()
    {
        var original = new Deployment("dep-1", "recommended");
        var copy = original with { Notes = "copy" };

        Assert.Throws<SignoffRequiredException>(() => copy.TransitionTo("applied"));

        Assert.Equal("recommended", copy.Status);
        Assert.Equal("recommended", original.Status);
        Assert.Null(copy.Signoff);
    }

    [Fact]
    public void Change_to_a_with_copy_does_not_reach_the_original()
    {
        var original = new Deployment("dep-1", "recommended");
        var copy = original with { };

        copy.TransitionTo("applied", SignoffFixtures.Valid);

        Assert.Equal("recommended", original.Status);
        Assert.Null(original.Signoff);
    }

    [Fact]
    public void Copying_gate_state_into_a_stricter_record_type_throws_and_leaves_the_source_unchanged()
    {
        var ownerOnly = new HumanSignoff(null, "alice");
        var loose = new LooseChange("applied", ownerOnly);
        StrictChange? strict = null;

        var error = Assert.Throws<SignoffRequiredException>(() => strict = new StrictChange(loose));

        Assert.Null(strict);
        Assert.Equal(typeof(StrictChange), error.RecordType);
        Assert.Equal(["VerbatimResponse"], error.MissingFields);
        Assert.Equal("applied", loose.Status);
        Assert.Same(ownerOnly, loose.Signoff);
    }

    [Fact]
    public void Copying_gate_state_that_satisfies_the_stricter_type_is_allowed()
    {
        var loose = new LooseChange("applied", SignoffFixtures.Valid);

        var strict = new StrictChange(loose);

        Assert.Equal("applied", strict.Status);
        Assert.Equal(SignoffFixtures.Valid, strict.Signoff);
    }

    [Fact]
    public void Records_are_equal_when_status_signoff_and_data_are_equal()
    {
        var first = new Deployment("dep-1", "applied", SignoffFixtures.Valid);
        var second = new Deployment("dep-1", "applied", SignoffFixtures.Valid);
        var other = new Deployment("dep-1", "signed_off", SignoffFixtures.Valid);

        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
        Assert.NotEqual(first, other);
    }
}
