using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Countersign.Approvals;
using Countersign.Client.Protocol;
using Countersign.Client.Signing;
using Countersign.DependencyInjection;
using Countersign.Policy;
using Countersign.Server;
using Countersign.Sqlite;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Countersign.LoadHarness.Server;

/// <summary>
/// The server as deployed, in this process: Kestrel on 127.0.0.1, the gate on a SQLite file, one registered app, and
/// reviewers signed in by a harness-only header (<c>X-Harness-Reviewer</c>) in place of the web UI's cookie.
/// </summary>
internal sealed class HarnessServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private HarnessServer(WebApplication app, Uri baseAddress, RegisteredApp registered)
    {
        _app = app;
        BaseAddress = baseAddress;
        App = registered;
        Key = RequestSignature.DeriveKey(registered.Secret!);
    }

    public Uri BaseAddress { get; }

    public RegisteredApp App { get; }

    public byte[] Key { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<HarnessServer> StartAsync(string directory, SqliteDurability durability)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Services.AddCountersign(o => o.ReadEnvironment = false)
            .UsePolicy(new PolicyBuilder()
                .ForTool("read_file", r => r.Allow())
                .ForTool("refund", r => r.RequireApproval().Timeout(TimeSpan.FromHours(1)))
                .Build())
            .UseSqlite(Path.Combine(directory, "server.db"), o => o.Durability = durability);
        builder.Services.AddCountersignServer(o => o.AppsDatabasePath = Path.Combine(directory, "apps.db"));
        builder.Services.AddAuthentication(HeaderReviewer.Name).AddScheme<AuthenticationSchemeOptions, HeaderReviewer>(HeaderReviewer.Name, null);
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapCountersign();
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single() + "/");
        using var admin = Reviewer(address, "root", "admin");
        using var response = await admin.PostAsJsonAsync("v1/apps", new { name = "harness" });
        response.EnsureSuccessStatusCode();
        return new HarnessServer(app, address, (await response.Content.ReadFromJsonAsync<RegisteredApp>())!);
    }

    public static HttpClient Reviewer(Uri baseAddress, string name, string role)
    {
        var http = new HttpClient { BaseAddress = baseAddress };
        http.DefaultRequestHeaders.Add("X-Harness-Reviewer", name + ":" + role);
        return http;
    }

    public IApprovalStore Store => _app.Services.GetRequiredService<IApprovalStore>();

    /// <summary>A request signed for the registered app, as a remote client sends it.</summary>
    public HttpRequestMessage Signed(HttpMethod method, string pathAndQuery, string? body = null)
    {
        var bytes = body is null ? [] : Encoding.UTF8.GetBytes(body);
        var message = new HttpRequestMessage(method, new Uri(BaseAddress, pathAndQuery));
        if (body is not null)
        {
            message.Content = new ByteArrayContent(bytes);
            message.Content.Headers.ContentType = new("application/json");
        }

        var timestamp = RequestSignature.FormatTimestamp(TimeProvider.System.GetUtcNow());
        var nonce = RequestSignature.NewNonce();
        message.Headers.Add(RequestSignature.KeyIdHeader, App.AppId);
        message.Headers.Add(RequestSignature.TimestampHeader, timestamp);
        message.Headers.Add(RequestSignature.NonceHeader, nonce);
        message.Headers.Add(RequestSignature.SignatureHeader, RequestSignature.Sign(Key, RequestSignature.StringToSign(timestamp, nonce, method.Method, "/" + pathAndQuery, bytes)));
        return message;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class HeaderReviewer(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        public const string Name = "HarnessReviewer";

        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var parts = Request.Headers["X-Harness-Reviewer"].ToString().Split(':');
            if (parts.Length != 2)
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, parts[0]), new Claim(ClaimTypes.Role, parts[1])], Name);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Name)));
        }
    }
}
