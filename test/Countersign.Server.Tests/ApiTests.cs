using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Countersign.Audit;
using Countersign.Client.Protocol;
using Microsoft.Extensions.DependencyInjection;

namespace Countersign.Server.Tests;

public sealed class ApiTests : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly TempDirectory _directory = new();
    private ServerHost _server = null!;
    private SignedClient _app = null!;
    private string _secret = null!;

    public async Task InitializeAsync()
    {
        _server = await ServerHost.StartAsync(_directory.Path);
        var app = await _server.RegisterAppAsync();
        _secret = app.Secret!;
        _app = new SignedClient(_server.BaseAddress, app.AppId, _secret);
    }

    public async Task DisposeAsync()
    {
        _app.Dispose();
        await _server.DisposeAsync();
        _directory.Dispose();
    }

    private async Task<ActionVerdict> SubmitAsync(object submission, SignedClient? client = null, string path = "v1/actions")
    {
        using var response = await (client ?? _app).PostAsync(path, submission);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ActionVerdict>(Json))!;
    }

    private async Task ReviewAsync(string approvalId, string decision, string reviewer = "bob", string? comment = null, string roles = "reviewer", HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var http = _server.Reviewer(reviewer, roles.Split(','));
        using var response = await http.PostAsJsonAsync($"v1/approvals/{approvalId}/reviews", new { decision, comment });
        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task An_allowed_action_runs_and_its_outcome_is_audited_once()
    {
        var verdict = await SubmitAsync(new { tool = "read_file", arguments = new { path = "a.txt" } });
        Assert.Equal("allow", verdict.Verdict);
        Assert.Equal("allow", verdict.Path);

        using (var report = await _app.PostAsync($"v1/actions/{verdict.ActionId}/outcome", new { succeeded = true, result = new { bytes = 3 } }))
        {
            Assert.Equal(HttpStatusCode.NoContent, report.StatusCode);
        }

        using (var again = await _app.PostAsync($"v1/actions/{verdict.ActionId}/outcome", new { succeeded = true }))
        {
            Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        }

        var entries = await _server.Services.GetRequiredService<IAuditLog>().ReadAsync().Where(r => r.Entry.ActionId == verdict.ActionId).ToListAsync();
        Assert.Equal([AuditEventKind.Authorized, AuditEventKind.Outcome], entries.Select(e => e.Entry.Kind));
        Assert.True(entries[1].Entry.Executed);
    }

    [Fact]
    public async Task A_denied_action_says_why()
    {
        var verdict = await SubmitAsync(new { tool = "drop_db", arguments = new { name = "prod" } });
        Assert.Equal("deny", verdict.Verdict);
        Assert.Equal("policy", verdict.DenialCode);
        Assert.Contains(verdict.Reasons, r => r.Contains("never drop a database", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_pending_action_is_waited_for_approved_and_claimed_exactly_once_by_two_clients()
    {
        var submission = new { tool = "refund", arguments = new { amount = 250 }, requestedBy = "alice", idempotencyKey = "refund-1" };
        var pending = await SubmitAsync(submission);
        Assert.Equal("pending", pending.Verdict);
        Assert.NotNull(pending.ApprovalId);

        using (var poll = await _app.GetAsync($"v1/approvals/{pending.ApprovalId}/wait?timeoutSeconds=0"))
        {
            Assert.Equal("pending", (await poll.Content.ReadFromJsonAsync<ApprovalView>(Json))!.Status);
        }

        var waiting = _app.GetAsync($"v1/approvals/{pending.ApprovalId}/wait?timeoutSeconds=30");
        await ReviewAsync(pending.ApprovalId!, "approve");
        using (var resolved = await waiting)
        {
            Assert.Equal("granted", (await resolved.Content.ReadFromJsonAsync<ApprovalView>(Json))!.Status);
        }

        using var second = new SignedClient(_server.BaseAddress, _app.AppId, _secret);
        var claims = await Task.WhenAll(
            SubmitAsync(submission, _app, $"v1/approvals/{pending.ApprovalId}/claim"),
            SubmitAsync(submission, second, $"v1/approvals/{pending.ApprovalId}/claim"));
        Assert.Single(claims, c => c.Verdict == "allow");
        var refused = Assert.Single(claims, c => c.Verdict == "deny");
        Assert.Contains(refused.DenialCode, new[] { "already_executed", "approval_not_usable" });
        Assert.Equal("approved", claims.Single(c => c.Verdict == "allow").Path);
    }

    [Fact]
    public async Task A_claim_with_another_payload_is_not_allowed()
    {
        var pending = await SubmitAsync(new { tool = "refund", arguments = new { amount = 250 }, requestedBy = "alice", idempotencyKey = "refund-2" });
        await ReviewAsync(pending.ApprovalId!, "approve");
        var claim = await SubmitAsync(new { tool = "refund", arguments = new { amount = 9999 }, requestedBy = "alice", idempotencyKey = "refund-2" }, path: $"v1/approvals/{pending.ApprovalId}/claim");
        Assert.Equal("deny", claim.Verdict);
        Assert.Equal("approval_not_usable", claim.DenialCode);
    }

    [Fact]
    public async Task A_denial_with_a_comment_reaches_the_claim()
    {
        var submission = new { tool = "refund", arguments = new { amount = 5 }, requestedBy = "alice", idempotencyKey = "refund-3" };
        var pending = await SubmitAsync(submission);
        await ReviewAsync(pending.ApprovalId!, "deny", comment: "<script>alert(1)</script> not this customer");
        var claim = await SubmitAsync(submission, path: $"v1/approvals/{pending.ApprovalId}/claim");
        Assert.Equal("deny", claim.Verdict);
        Assert.Equal("reviewer", claim.DenialCode);
        Assert.Equal("bob", claim.Reviewer);
        Assert.Equal("<script>alert(1)</script> not this customer", claim.Comment);
    }

    [Fact]
    public async Task Server_sent_events_stream_the_approval_until_it_is_resolved()
    {
        var pending = await SubmitAsync(new { tool = "refund", arguments = new { amount = 7 }, requestedBy = "alice", idempotencyKey = "refund-sse" });
        using var response = await _app.SendAsync(_app.Create(HttpMethod.Get, $"v1/approvals/{pending.ApprovalId}/events"), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.Equal("event: pending", await reader.ReadLineAsync());
        await ReviewAsync(pending.ApprovalId!, "approve");
        string? line;
        while ((line = await reader.ReadLineAsync()) is not null && line != "event: resolved")
        {
        }

        Assert.Equal("event: resolved", line);
        var data = await reader.ReadLineAsync();
        Assert.Contains("\"status\":\"granted\"", data, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_idempotency_key_replays_the_answer_and_another_payload_gets_422()
    {
        var first = await SubmitAsync(new { tool = "read_file", arguments = new { path = "a" }, idempotencyKey = "k-1" });
        var again = await SubmitAsync(new { tool = "read_file", arguments = new { path = "a" }, idempotencyKey = "k-1" });
        Assert.Equal(first.ActionId, again.ActionId);
        Assert.True(again.Replayed);
        Assert.False(first.Replayed);

        using var other = await _app.PostAsync("v1/actions", new { tool = "read_file", arguments = new { path = "b" }, idempotencyKey = "k-1" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        Assert.Equal("application/problem+json", other.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_reviewer_cannot_approve_their_own_call()
    {
        var pending = await SubmitAsync(new { tool = "refund", arguments = new { amount = 1 }, requestedBy = "alice", idempotencyKey = "self" });
        await ReviewAsync(pending.ApprovalId!, "approve", reviewer: "alice", expected: HttpStatusCode.Forbidden);
        await ReviewAsync(pending.ApprovalId!, "approve", reviewer: _app.AppId, expected: HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Quorum_and_roles_hold_over_the_api()
    {
        var pending = await SubmitAsync(new { tool = "payout", arguments = new { amount = 1 }, requestedBy = "alice", idempotencyKey = "payout" });
        await ReviewAsync(pending.ApprovalId!, "approve", reviewer: "bob", roles: "reviewer", expected: HttpStatusCode.Forbidden);
        await ReviewAsync(pending.ApprovalId!, "approve", reviewer: "carol", roles: "reviewer,finance");
        await ReviewAsync(pending.ApprovalId!, "approve", reviewer: "carol", roles: "reviewer,finance", expected: HttpStatusCode.Conflict);
        using var http = _server.Reviewer("viewer", "viewer");
        Assert.Equal("pending", (await http.GetFromJsonAsync<ApprovalView>($"v1/approvals/{pending.ApprovalId}", Json))!.Status);
        await ReviewAsync(pending.ApprovalId!, "approve", reviewer: "dave", roles: "reviewer,finance");
        var view = (await http.GetFromJsonAsync<ApprovalView>($"v1/approvals/{pending.ApprovalId}", Json))!;
        Assert.Equal("granted", view.Status);
        Assert.Equal(["carol", "dave"], view.Reviews.Select(r => r.Reviewer));
    }

    [Fact]
    public async Task Wrong_role_and_no_sign_in_are_refused()
    {
        var pending = await SubmitAsync(new { tool = "refund", arguments = new { amount = 1 }, requestedBy = "alice", idempotencyKey = "roles" });
        await ReviewAsync(pending.ApprovalId!, "approve", reviewer: "vic", roles: "viewer", expected: HttpStatusCode.Forbidden);
        using var anonymous = new HttpClient { BaseAddress = _server.BaseAddress };
        using var response = await anonymous.GetAsync("v1/approvals");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var reviewer = _server.Reviewer("bob", "reviewer");
        using var register = await reviewer.PostAsJsonAsync("v1/apps", new { name = "x" });
        Assert.Equal(HttpStatusCode.Forbidden, register.StatusCode);
    }

    [Fact]
    public async Task Approvals_are_queried_by_status_and_tool_with_keyset_pages()
    {
        for (var i = 0; i < 5; i++)
        {
            await SubmitAsync(new { tool = "refund", arguments = new { amount = i }, requestedBy = "alice", idempotencyKey = $"q-{i}" });
        }

        await SubmitAsync(new { tool = "payout", arguments = new { amount = 1 }, requestedBy = "alice", idempotencyKey = "q-payout" });
        using var http = _server.Reviewer("vic", "viewer");
        var first = (await http.GetFromJsonAsync<ApprovalPageView>("v1/approvals?status=pending&tool=refund&pageSize=3&minRisk=high", Json))!;
        Assert.Equal(3, first.Items.Count);
        Assert.NotNull(first.Next);
        var second = (await http.GetFromJsonAsync<ApprovalPageView>($"v1/approvals?status=pending&tool=refund&pageSize=3&minRisk=high&after={first.Next}", Json))!;
        Assert.Equal(2, second.Items.Count);
        Assert.Null(second.Next);
        Assert.All(first.Items.Concat(second.Items), a => Assert.Equal("refund", a.Tool));
        Assert.Equal(5, first.Items.Concat(second.Items).Select(a => a.Id).Distinct().Count());

        var finance = (await http.GetFromJsonAsync<ApprovalPageView>("v1/approvals?role=finance&tool=payout", Json))!;
        Assert.Single(finance.Items);
    }

    [Theory]
    [InlineData("{\"tool\":", "Malformed JSON")]
    [InlineData("{\"tool\":\"read_file\",\"surprise\":1}", "surprise")]
    [InlineData("{\"arguments\":{}}", "tool")]
    [InlineData("[]", "Malformed JSON")]
    [InlineData("{\"tool\":\"read\\u0000file\"}", "control characters")]
    public async Task Malformed_bodies_get_400_problems(string body, string expected)
    {
        using var response = await _app.SendAsync(_app.Create(HttpMethod.Post, "v1/actions", body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_oversize_body_gets_413_signed_or_not()
    {
        var body = "{\"tool\":\"read_file\",\"arguments\":{\"blob\":\"" + new string('x', 70 * 1024) + "\"}}";
        using var signed = await _app.SendAsync(_app.Create(HttpMethod.Post, "v1/actions", body));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, signed.StatusCode);
        Assert.Equal("application/problem+json", signed.Content.Headers.ContentType?.MediaType);

        using var admin = _server.Reviewer("root", "admin");
        using var unsigned = await admin.PostAsync("v1/apps", new StringContent("{\"name\":\"" + new string('x', 70 * 1024) + "\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, unsigned.StatusCode);
    }

    [Fact]
    public async Task Invalid_and_unknown_ids_get_4xx_not_500()
    {
        using var http = _server.Reviewer("vic", "viewer");
        using (var invalid = await http.GetAsync("v1/approvals/not-an-id"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        }

        using (var unknown = await http.GetAsync("v1/approvals/apr_0000000000000000"))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }

        using (var cursor = await http.GetAsync("v1/approvals?after=%%%"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, cursor.StatusCode);
        }

        using (var status = await http.GetAsync("v1/approvals?status=sideways"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, status.StatusCode);
        }

        using var wait = await _app.GetAsync("v1/approvals/apr_0000000000000000/wait");
        Assert.Equal(HttpStatusCode.NotFound, wait.StatusCode);
        using var report = await _app.PostAsync("v1/actions/act_unknown0000/outcome", new { succeeded = true });
        Assert.Equal(HttpStatusCode.NotFound, report.StatusCode);
    }

    [Fact]
    public async Task Apps_are_listed_without_secrets()
    {
        using var admin = _server.Reviewer("root", "admin");
        var text = await admin.GetStringAsync("v1/apps");
        Assert.Contains(_app.AppId, text, StringComparison.Ordinal);
        Assert.DoesNotContain("css_", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_audit_log_is_paged_filtered_and_verified()
    {
        var verdict = await SubmitAsync(new { tool = "read_file", arguments = new { path = "a" } });
        await SubmitAsync(new { tool = "drop_db", arguments = new { } });
        using var http = _server.Reviewer("vic", "viewer");
        using var page = JsonDocument.Parse(await http.GetStringAsync($"v1/audit?action={verdict.ActionId}"));
        var entries = page.RootElement.GetProperty("entries");
        Assert.Equal(1, entries.GetArrayLength());
        Assert.Equal("authorized", entries[0].GetProperty("entry").GetProperty("kind").GetString());

        using var outcomes = JsonDocument.Parse(await http.GetStringAsync("v1/audit?kind=outcome&limit=10"));
        Assert.Contains(outcomes.RootElement.GetProperty("entries").EnumerateArray(), e => e.GetProperty("entry").GetProperty("toolName").GetString() == "drop_db");

        using var verify = await http.PostAsync("v1/audit/verify", null);
        using var result = JsonDocument.Parse(await verify.Content.ReadAsStringAsync());
        Assert.True(result.RootElement.GetProperty("isValid").GetBoolean());
    }

    [Fact]
    public async Task Health_openapi_and_its_page_are_served()
    {
        using var http = new HttpClient { BaseAddress = _server.BaseAddress };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("health")).StatusCode);
        using var ready = await http.GetAsync("health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());

        var document = await http.GetStringAsync("openapi/v1.json");
        Assert.Contains("/v1/actions", document, StringComparison.Ordinal);
        Assert.Contains("/v1/approvals/{approvalId}/claim", document, StringComparison.Ordinal);
        using var page = await http.GetAsync("openapi");
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("/v1/audit/verify", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
