using System.Net;
using Countersign.Server.Browser.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Countersign.Server.Browser.Tests;

/// <summary>The UI's addresses over plain HTTP, as a script or a crawler would reach them without a browser.</summary>
public sealed class UiEndpointTests : IAsyncLifetime
{
    private CountersignTestHost _host = null!;
    private readonly HttpClient _client = new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });

    public async Task InitializeAsync() => _host = await CountersignTestHost.StartAsync(users: []);

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task A_page_sends_an_anonymous_visitor_to_the_sign_in_form_and_back()
    {
        var response = await _client.GetAsync(_host.Url("/Countersign/History?tool=x"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/Countersign/Login", response.Headers.Location!.AbsolutePath);
        Assert.Contains("returnUrl=%2FCountersign%2FHistory%3Ftool%3Dx", response.Headers.Location.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_live_queue_stream_answers_401_without_a_session()
    {
        var response = await _client.GetAsync(_host.Url("/Countersign/queue/events"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_sign_in_without_the_antiforgery_token_is_refused()
    {
        using var form = new FormUrlEncodedContent([new("name", "bob"), new("password", CountersignTestHost.Password)]);

        var response = await _client.PostAsync(_host.Url("/Countersign/Login"), form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task The_script_is_served_from_the_library_and_unknown_assets_are_404()
    {
        var script = await _client.GetAsync(_host.Url("/Countersign/assets/countersign.js"));
        var missing = await _client.GetAsync(_host.Url("/Countersign/assets/other.js"));

        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType!.MediaType);
        Assert.Contains("nosniff", script.Headers.GetValues("X-Content-Type-Options"));
        Assert.Contains("EventSource", await script.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task An_unchanged_script_is_answered_304_when_the_browser_has_it()
    {
        var first = await _client.GetAsync(_host.Url("/Countersign/assets/countersign.css"));
        using var again = new HttpRequestMessage(HttpMethod.Get, _host.Url("/Countersign/assets/countersign.css"));
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        var second = await _client.SendAsync(again);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }

    [Fact]
    public async Task Server_options_that_would_disable_the_sign_in_limit_stop_the_app_at_start()
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => CountersignTestHost.StartAsync(loginAttemptsPerMinute: 0, users: []));

        Assert.Contains("LoginAttemptsPerWindow must be at least 1", failure.Message, StringComparison.Ordinal);
    }
}
