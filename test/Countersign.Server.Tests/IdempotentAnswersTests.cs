using Countersign.Client.Protocol;
using Countersign.Server.Api;
using Countersign.Server.Api.Actions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Countersign.Server.Tests;

public sealed class IdempotentAnswersTests
{
    private readonly FakeTimeProvider _clock = new();
    private readonly IdempotentAnswers _answers;

    public IdempotentAnswersTests() =>
        _answers = new IdempotentAnswers(_clock, Options.Create(new CountersignServerOptions { IdempotencyRetention = TimeSpan.FromMinutes(15) }));

    [Fact]
    public void A_duplicate_while_the_first_is_being_decided_gets_409()
    {
        var (started, _) = _answers.Begin("app_1", "k", "hash");
        Assert.NotNull(started);
        var conflict = Assert.Throws<ApiProblemException>(() => _answers.Begin("app_1", "k", "hash"));
        Assert.Equal(409, conflict.Status);
    }

    [Fact]
    public void A_finished_key_replays_until_its_retention_passes()
    {
        var (started, _) = _answers.Begin("app_1", "k", "hash");
        IdempotentAnswers.Complete(started!, new ActionVerdict { Verdict = ActionVerdict.Pending, ActionId = "act_1" });
        var (_, earlier) = _answers.Begin("app_1", "k", "hash");
        Assert.True(earlier!.Replayed);
        Assert.Equal(422, Assert.Throws<ApiProblemException>(() => _answers.Begin("app_1", "k", "other")).Status);
        Assert.NotNull(_answers.Begin("app_2", "k", "other").Started);

        _clock.Advance(TimeSpan.FromMinutes(16));
        Assert.NotNull(_answers.Begin("app_1", "k", "other").Started);
    }

    [Fact]
    public void An_abandoned_submission_frees_its_key()
    {
        var (started, _) = _answers.Begin("app_1", "k", "hash");
        _answers.Abandon(started!);
        Assert.NotNull(_answers.Begin("app_1", "k", "hash").Started);
    }
}
