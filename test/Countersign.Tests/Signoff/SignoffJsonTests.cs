using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Countersign.Signoff;

namespace Countersign.Tests.Signoff;

[JsonSerializable(typeof(Deployment))]
[JsonSerializable(typeof(ModelPromotion))]
internal sealed partial class SignoffJsonContext : JsonSerializerContext;

public sealed class SignoffJsonTests
{
    private static readonly JsonSerializerOptions Populating = new() { PreferredObjectCreationHandling = JsonObjectCreationHandling.Populate };

    [Fact]
    public void Gated_record_round_trips_through_json()
    {
        var deployment = new Deployment("dep-1", "applied", SignoffFixtures.Complete) { Notes = "n", Environment = "prod" };

        var copy = JsonSerializer.Deserialize<Deployment>(JsonSerializer.Serialize(deployment));

        Assert.Equal(deployment, copy);
    }

    [Fact]
    public void Gated_record_round_trips_through_a_source_generated_context()
    {
        var deployment = new Deployment("dep-1", "applied", SignoffFixtures.Complete);

        var copy = JsonSerializer.Deserialize(JsonSerializer.Serialize(deployment, SignoffJsonContext.Default.Deployment), SignoffJsonContext.Default.Deployment);

        Assert.Equal(deployment, copy);
    }

    [Fact]
    public void Json_in_a_gated_status_without_signoff_is_refused()
    {
        Deployment? read = null;

        var error = Assert.Throws<SignoffRequiredException>(() => read = JsonSerializer.Deserialize<Deployment>("""{"DeploymentId":"dep-1","Status":"applied"}"""));

        Assert.Null(read);
        Assert.Equal(["VerbatimResponse", "ResponsibleOwner"], error.MissingFields);
    }

    [Fact]
    public void Json_in_a_gated_status_without_signoff_is_refused_by_a_source_generated_context()
    {
        Deployment? read = null;

        Assert.Throws<SignoffRequiredException>(() => read = JsonSerializer.Deserialize("""{"Status":"applied","DeploymentId":"dep-1","Signoff":null}""", SignoffJsonContext.Default.Deployment));

        Assert.Null(read);
    }

    [Fact]
    public void Json_with_a_blanked_verbatim_response_is_refused()
    {
        var node = JsonSerializer.SerializeToNode(new Deployment("dep-1", "applied", SignoffFixtures.Valid))!;
        node["Signoff"]!["VerbatimResponse"] = "                                                            ";

        Assert.Throws<SignoffRequiredException>(() => node.Deserialize<Deployment>());
    }

    [Theory]
    [InlineData("""{"Status":"applied","Signoff":{"VerbatimResponse":"I reviewed the rollout plan and the canary metrics; ship it to production.","ResponsibleOwner":"alice"},"DeploymentId":"d"}""")]
    [InlineData("""{"Signoff":{"ResponsibleOwner":"alice","VerbatimResponse":"I reviewed the rollout plan and the canary metrics; ship it to production."},"DeploymentId":"d","Status":"applied"}""")]
    [InlineData("""{"DeploymentId":"d","Signoff":{"VerbatimResponse":"I reviewed the rollout plan and the canary metrics; ship it to production.","ResponsibleOwner":"alice"},"Status":"applied"}""")]
    public void Json_member_order_does_not_matter(string json)
    {
        var deployment = JsonSerializer.Deserialize<Deployment>(json)!;

        Assert.Equal("applied", deployment.Status);
        Assert.Equal("alice", deployment.Signoff!.ResponsibleOwner);
    }

    [Fact]
    public void Json_populating_existing_objects_is_still_checked()
    {
        Assert.Throws<SignoffRequiredException>(() => JsonSerializer.Deserialize<Deployment>("""{"DeploymentId":"d","Status":"applied","Signoff":{"ResponsibleOwner":"alice"}}""", Populating));
    }

    [Fact]
    public void Json_with_an_undefined_enum_status_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => JsonSerializer.Deserialize<ModelPromotion>("""{"ModelId":"m","Status":7}"""));
    }

    [Fact]
    public void Json_for_an_enum_status_is_checked_like_construction()
    {
        var json = JsonSerializer.Serialize(new ModelPromotion("m-1", ModelStage.Promoted, SignoffFixtures.Complete));
        var node = JsonNode.Parse(json)!;
        node["Signoff"]!["SignedAt"] = null;

        Assert.Equal(ModelStage.Promoted, JsonSerializer.Deserialize(json, SignoffJsonContext.Default.ModelPromotion)!.Status);
        var error = Assert.Throws<SignoffRequiredException>(() => node.Deserialize<ModelPromotion>());
        Assert.Equal(["SignedAt"], error.MissingFields);
    }
}
