using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Countersign.Approvals;
using Countersign.Client;
using Countersign.Client.Protocol;
using Microsoft.Extensions.DependencyInjection;

namespace Countersign.Server.Tests;

public sealed class ClientTests : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly TempDirectory _directory = new();
    private ServerHost _server = null!;
    private RegisteredApp _app = null!;

    public async Task InitializeAsync()
    {
        _server = await ServerHost.StartAsync(_directory.Path);
        _app = await _server.RegisterAppAsync();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _directory.Dispose();
    }

    private CountersignClient CreateClient(Uri baseAddress, TaskCompletionSource<string>? waiting = null, EnforcementMode whenUnreachable = EnforcementMode.Enforce) =>
        CountersignClient.Create(o =>
        {
            o.BaseAddress = baseAddress;
            o.AppId = _app.AppId;
            o.Secret = _app.Secret;
            o.WhenUnreachable = whenUnreachable;
            o.ReconnectDelay = TimeSpan.FromMilliseconds(200);
            o.OnWaiting = id =>
            {
                waiting?.TrySetResult(id);
                return ValueTask.CompletedTask;
            };
        });

    private async Task ReviewAsync(ServerHost server, string approvalId, string decision, string? comment = null)
    {
        using var http = server.Reviewer("bob", "reviewer");
        using var response = await http.PostAsJsonAsync($"v1/approvals/{approvalId}/reviews", new { decision, comment });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task An_allowed_call_runs_through_the_client()
    {
        using var client = CreateClient(_server.BaseAddress);
        var result = await client.GuardedAsync("read_file", new { path = "a.txt" }, _ => Task.FromResult("contents"));
        Assert.Equal("contents", result);
    }

    [Fact]
    public async Task A_guarded_call_approved_over_the_api_returns_its_result()
    {
        var waiting = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var client = CreateClient(_server.BaseAddress, waiting);
        var runs = 0;
        var call = client.GuardedAsync(
            "refund",
            new { amount = 250 },
            _ => Task.FromResult(++runs),
            new GuardOptions { RequestedBy = "alice" });
        var approvalId = await waiting.Task;
        await ReviewAsync(_server, approvalId, "approve");
        Assert.Equal(1, await call);
        Assert.Equal(1, runs);
        var approval = await _server.Services.GetRequiredService<IApprovalStore>().GetAsync(approvalId);
        Assert.Equal(ApprovalStatus.Consumed, approval!.Status);
    }

    [Fact]
    public async Task A_denied_call_gets_the_reviewers_comment()
    {
        var waiting = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var client = CreateClient(_server.BaseAddress, waiting);
        var ran = false;
        var call = client.GuardedAsync("refund", new { amount = 9 }, _ => Task.FromResult(ran = true), new GuardOptions { RequestedBy = "alice" });
        await ReviewAsync(_server, await waiting.Task, "deny", "customer already refunded");
        var denied = await Assert.ThrowsAsync<ActionDeniedException>(() => call);
        Assert.Equal("reviewer", denied.DenialReason.Code);
        Assert.Equal("customer already refunded", denied.ReviewerComment);
        Assert.False(ran);
    }

    [Fact]
    public async Task A_policy_denial_and_fail_closed_pending_come_back_as_outcomes()
    {
        using var client = CreateClient(_server.BaseAddress);
        var denied = await client.ExecuteOutcomeAsync(ActionRequest.Create("drop_db"), _ => ValueTask.FromResult(1));
        Assert.Equal(GateOutcomeKind.Denied, denied.Kind);
        var pending = await client.ExecuteOutcomeAsync(
            ActionRequest.Create("refund", new { amount = 1 }) with { RequestedBy = "alice", IdempotencyKey = "fc-1" },
            _ => ValueTask.FromResult(1),
            new GateCallOptions { OnReview = OnReviewBehavior.FailClosed });
        Assert.Equal(GateOutcomeKind.Pending, pending.Kind);
        Assert.Equal("fc-1", Assert.IsType<ApprovalPendingException>(pending.Rejection).IdempotencyKey);
    }

    [Fact]
    public async Task An_unreachable_server_fails_closed_and_shadow_still_runs()
    {
        var closed = ClosedPort();
        using var enforcing = CreateClient(closed);
        var ran = false;
        var denied = await Assert.ThrowsAsync<ActionDeniedException>(() => enforcing.GuardedAsync("read_file", new { path = "a" }, _ => Task.FromResult(ran = true)));
        Assert.Equal("server_unreachable", denied.DenialReason.Code);
        Assert.Contains("could not be reached", denied.Message, StringComparison.Ordinal);
        Assert.False(ran);

        using var shadow = CreateClient(closed, whenUnreachable: EnforcementMode.Shadow);
        Assert.True(await shadow.GuardedAsync("read_file", new { path = "a" }, _ => Task.FromResult(true)));
    }

    [Fact]
    public async Task Bad_credentials_are_a_clear_denial()
    {
        using var client = CountersignClient.Create(o =>
        {
            o.BaseAddress = _server.BaseAddress;
            o.AppId = _app.AppId;
            o.Secret = "css_not-the-secret";
        });
        var denied = await Assert.ThrowsAsync<ActionDeniedException>(() => client.GuardedAsync("read_file", null, _ => Task.FromResult(1)));
        Assert.Equal("server_refused", denied.DenialReason.Code);
        Assert.Contains("signature is invalid", denied.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_restarted_client_reattaches_by_idempotency_key()
    {
        var request = ActionRequest.Create("refund", new { amount = 40 }) with { RequestedBy = "alice", IdempotencyKey = "order-77" };
        using (var first = CreateClient(_server.BaseAddress))
        {
            var pending = await first.ExecuteOutcomeAsync(request, _ => ValueTask.FromResult(0), new GateCallOptions { OnReview = OnReviewBehavior.FailClosed });
            Assert.Equal(GateOutcomeKind.Pending, pending.Kind);
        }

        var waiting = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var restarted = CreateClient(_server.BaseAddress, waiting);
        var call = restarted.ExecuteAsync(request, _ => ValueTask.FromResult(40));
        var approvalId = await waiting.Task;
        var approvals = await _server.Services.GetRequiredService<IApprovalStore>().QueryAsync(new ApprovalQuery(), TimeProvider.System.GetUtcNow());
        Assert.Equal(approvalId, Assert.Single(approvals.Items).Id);
        await ReviewAsync(_server, approvalId, "approve");
        Assert.Equal(40, await call);
    }

    [Fact]
    public async Task A_server_restart_while_the_client_waits_keeps_the_approval_pending_and_the_wait_resumes()
    {
        var waiting = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var client = CreateClient(_server.BaseAddress, waiting);
        var call = client.GuardedAsync("refund", new { amount = 99 }, _ => Task.FromResult("refunded"), new GuardOptions { RequestedBy = "alice" });
        var approvalId = await waiting.Task;

        var port = _server.Port;
        await _server.DisposeAsync();
        Assert.False(call.IsCompleted);
        _server = await ServerHost.StartAsync(_directory.Path, port);

        using var viewer = _server.Reviewer("vic", "viewer");
        var view = await viewer.GetFromJsonAsync<ApprovalView>($"v1/approvals/{approvalId}", Json);
        Assert.Equal("pending", view!.Status);
        await ReviewAsync(_server, approvalId, "approve");
        Assert.Equal("refunded", await call);
    }

    [Fact]
    public void Options_are_read_from_the_environment()
    {
        var variables = new Dictionary<string, string?>
        {
            ["COUNTERSIGN_URL"] = "http://127.0.0.1:5999/",
            ["COUNTERSIGN_APP_ID"] = "app_x",
            ["COUNTERSIGN_SECRET"] = "css_y",
        };
        var options = new CountersignClientOptions().ReadEnvironment(name => variables.GetValueOrDefault(name));
        Assert.Equal(new Uri("http://127.0.0.1:5999/"), options.BaseAddress);
        Assert.Equal("app_x", options.AppId);
        Assert.Equal("css_y", options.Secret);
        Assert.Throws<ArgumentException>(() => new CountersignClientOptions().ReadEnvironment(name => name == "COUNTERSIGN_URL" ? "not a url" : null));
    }

    private static Uri ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/");
    }
}
