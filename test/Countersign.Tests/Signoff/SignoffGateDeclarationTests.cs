using Countersign.Signoff;

namespace Countersign.Tests.Signoff;

public sealed class SignoffGateDeclarationTests
{
    [Fact]
    public void Declaration_reads_the_attribute_of_a_string_status_record()
    {
        var declaration = SignoffGateDeclaration.For<Deployment>();

        Assert.Equal(typeof(Deployment), declaration.RecordType);
        Assert.Equal(typeof(string), declaration.StatusType);
        Assert.Equal(["signed_off", "applied", "rolled_back"], declaration.GatedStatusNames);
        Assert.Null(declaration.KnownStatusNames);
        Assert.Equal(SignoffFields.VerbatimResponse | SignoffFields.ResponsibleOwner, declaration.RequiredFields);
        Assert.Equal(50, declaration.MinimumVerbatimLength);
        Assert.False(declaration.RequireIssuedSignoff);
    }

    [Fact]
    public void Declaration_of_an_enum_status_record_names_its_members()
    {
        var declaration = SignoffGateDeclaration.For<ModelPromotion>();

        Assert.Equal(["Promoted"], declaration.GatedStatusNames);
        Assert.Equal(["Candidate", "Promoted", "Retired"], declaration.KnownStatusNames);
        Assert.Equal(20, declaration.MinimumVerbatimLength);
    }

    [Fact]
    public void Declaration_of_a_subtype_adds_up_with_its_base()
    {
        var declaration = SignoffGateDeclaration.For<HotfixRequest>();

        Assert.Equal(["hotfixed", "applied"], declaration.GatedStatusNames);
        Assert.Equal(SignoffFields.Default | SignoffFields.ApprovalId, declaration.RequiredFields);
        Assert.Equal(80, declaration.MinimumVerbatimLength);
    }

    [Fact]
    public void Record_without_a_declaration_cannot_be_built()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new UndeclaredRecord("draft"));

        Assert.Contains("[SignoffGate(...)]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Declared_statuses_must_match_the_status_type()
    {
        Assert.Throws<InvalidOperationException>(() => new MismatchedDeclaration("draft"));
    }

    [Fact]
    public void Minimum_length_below_one_is_refused()
    {
        Assert.Throws<InvalidOperationException>(() => new ZeroLengthDeclaration("draft"));
    }

    [Fact]
    public void Declaration_that_requires_nothing_is_refused()
    {
        Assert.Throws<InvalidOperationException>(() => new NothingRequiredDeclaration("draft"));
    }

    [Fact]
    public void Status_must_be_a_string_or_an_enum()
    {
        Assert.Throws<InvalidOperationException>(() => new DecimalStatusRecord(1m));
    }

    [Fact]
    public void Type_that_is_not_a_gated_record_has_no_declaration()
    {
        Assert.Throws<ArgumentException>(() => SignoffGateDeclaration.For(typeof(string)));
    }

    [Fact]
    public void Exception_built_by_hand_names_type_status_and_fields()
    {
        var error = new SignoffRequiredException(typeof(Deployment), "applied", ["ResponsibleOwner"]);

        Assert.Equal("SIGN-OFF REQUIRED: a Deployment cannot be in status 'applied' without a human sign-off. Missing: ResponsibleOwner (not blank).", error.Message);
    }
}
