using Countersign.Signoff;

namespace Countersign.Tests.Signoff;

/// <summary>The example of docs/signoff-records.md, run as written (its Deployment is declared in GatedTestRecords.cs).</summary>
public sealed class SignoffDocumentationExampleTests
{
    [Fact]
    public void Deployment_example_from_the_docs_runs_as_described()
    {
        var deployment = new Deployment("dep-42", "recommended");

        var error = Assert.Throws<SignoffRequiredException>(() => deployment.TransitionTo("signed_off"));
        Assert.StartsWith(
            "SIGN-OFF REQUIRED: a Deployment cannot be in status 'signed_off' without a human sign-off. Missing: VerbatimResponse (",
            error.Message,
            StringComparison.Ordinal);
        Assert.Equal("recommended", deployment.Status);

        deployment.TransitionTo("signed_off", new HumanSignoff(
            verbatimResponse: "Canary at 5% for an hour with flat error rates; I approve the full rollout.",
            responsibleOwner: "alice@example.com"));
        deployment.TransitionTo("applied");
        deployment.TransitionTo("rolled_back", new HumanSignoff(
            "Latency doubled after the rollout; I am rolling it back and I own the follow-up.",
            "bob@example.com"));

        Assert.Equal("rolled_back", deployment.Status);
        Assert.Equal("bob@example.com", deployment.Signoff!.ResponsibleOwner);
    }
}
