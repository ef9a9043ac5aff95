using System.Net;
using System.Text;
using Countersign.Audit;
using Microsoft.Extensions.DependencyInjection;

namespace Countersign.Server.Tests;

public sealed class SignatureTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private ServerHost _server = null!;
    private SignedClient _app = null!;

    public async Task InitializeAsync()
    {
        _server = await ServerHost.StartAsync(_directory.Path);
        var app = await _server.RegisterAppAsync();
        _app = new SignedClient(_server.BaseAddress, app.AppId, app.Secret!);
    }

    public async Task DisposeAsync()
    {
        _app.Dispose();
        await _server.DisposeAsync();
        _directory.Dispose();
    }

    private const string Submission = """{"tool":"read_file","arguments":{"path":"a.txt"}}""";

    [Fact]
    public async Task A_correctly_signed_request_is_accepted()
    {
        using var response = await _app.SendAsync(_app.Create(HttpMethod.Post, "v1/actions", Submission));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task An_unsigned_request_gets_401_problem()
    {
        using var http = new HttpClient { BaseAddress = _server.BaseAddress };
        using var response = await http.PostAsync("v1/actions", new StringContent(Submission, Encoding.UTF8, "application/json"));
        await AssertUnauthorizedAsync(response, "not signed");
    }

    [Fact]
    public async Task A_signature_made_with_another_secret_gets_401()
    {
        using var response = await _app.SendAsync(_app.Create(HttpMethod.Post, "v1/actions", Submission, secretOverride: "css_wrong"));
        await AssertUnauthorizedAsync(response, "signature is invalid");
    }

    [Fact]
    public async Task A_body_changed_after_signing_gets_401()
    {
        var message = _app.Create(HttpMethod.Post, "v1/actions", Submission);
        message.Content = new StringContent("""{"tool":"read_file","arguments":{"path":"secrets.txt"}}""", Encoding.UTF8, "application/json");
        using var response = await _app.SendAsync(message);
        await AssertUnauthorizedAsync(response, "signature is invalid");
    }

    [Fact]
    public async Task A_replay_inside_the_window_gets_401()
    {
        var nonce = Client.Signing.RequestSignature.NewNonce();
        using var first = await _app.SendAsync(_app.Create(HttpMethod.Post, "v1/actions", Submission, nonce));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using var replay = await _app.SendAsync(_app.Create(HttpMethod.Post, "v1/actions", Submission, nonce));
        await AssertUnauthorizedAsync(replay, "nonce was already used");
    }

    [Theory]
    [InlineData(-6)]
    [InlineData(6)]
    public async Task A_timestamp_outside_the_five_minute_window_gets_401(int minutes)
    {
        using var response = await _app.SendAsync(_app.Create(HttpMethod.Post, "v1/actions", Submission, at: TimeProvider.System.GetUtcNow().AddMinutes(minutes)));
        await AssertUnauthorizedAsync(response, "outside the 5-minute window");
    }

    [Fact]
    public async Task A_missing_header_or_malformed_nonce_gets_401()
    {
        var message = _app.Create(HttpMethod.Post, "v1/actions", Submission);
        message.Headers.Remove(Client.Signing.RequestSignature.NonceHeader);
        using var missing = await _app.SendAsync(message);
        await AssertUnauthorizedAsync(missing, "incomplete");

        using var shortNonce = await _app.SendAsync(_app.Create(HttpMethod.Post, "v1/actions", Submission, nonce: "abc"));
        await AssertUnauthorizedAsync(shortNonce, "nonce must be");
    }

    [Fact]
    public async Task A_revoked_app_gets_401()
    {
        using var admin = _server.Reviewer("root", "admin");
        using var revoke = await admin.DeleteAsync($"v1/apps/{_app.AppId}");
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        using var response = await _app.SendAsync(_app.Create(HttpMethod.Post, "v1/actions", Submission));
        await AssertUnauthorizedAsync(response, "revoked");
    }

    [Fact]
    public async Task Refused_signatures_record_nothing()
    {
        var log = _server.Services.GetRequiredService<IAuditLog>();
        var before = await log.ReadAsync().CountAsync();
        using (await _app.SendAsync(_app.Create(HttpMethod.Post, "v1/actions", Submission, secretOverride: "css_wrong")))
        using (await _app.SendAsync(_app.Create(HttpMethod.Post, "v1/actions", Submission, at: TimeProvider.System.GetUtcNow().AddHours(-1))))
        {
        }

        Assert.Equal(before, await log.ReadAsync().CountAsync());
    }

    [Fact]
    public async Task A_signed_app_cannot_use_reviewer_endpoints()
    {
        using var response = await _app.GetAsync("v1/approvals");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    internal static async Task AssertUnauthorizedAsync(HttpResponseMessage response, string detail)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(detail, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
