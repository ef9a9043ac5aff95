using System.Net;
using System.Net.Http.Json;
using Countersign.Approvals;
using Countersign.Policy;
using Countersign.Client.Protocol;
using Countersign.DependencyInjection;
using Countersign.Sqlite;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Countersign.Server.Tests;

/// <summary>The server as a user runs it: Kestrel on 127.0.0.1, a real SQLite file, the app's own gate and policy.</summary>
internal sealed class ServerHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ServerHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public int Port => BaseAddress.Port;

    public IServiceProvider Services => _app.Services;

    public static ActionPolicy Policy { get; } = new PolicyBuilder()
        .ForTool("read_*", rule => rule.Allow())
        .ForTool("refund", rule => rule.Named("refunds").RequireApproval().Risk(RiskLevel.High).Timeout(TimeSpan.FromMinutes(10)))
        .ForTool("payout", rule => rule.Named("payouts").RequireApproval().Quorum(2).ReviewerRoles("finance"))
        .ForTool("drop_db", rule => rule.Named("no-drops").Deny("never drop a database"))
        .Build();

    public static async Task<ServerHost> StartAsync(string directory, int port = 0, Action<CountersignServerOptions>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
        builder.Logging.ClearProviders();
        builder.Services.AddCountersign(o => o.ReadEnvironment = false)
            .UsePolicy(Policy)
            .UseSqlite(Path.Combine(directory, "countersign.db"));
        builder.Services.AddCountersignServer(o =>
        {
            o.AppsDatabasePath = Path.Combine(directory, "apps.db");
            o.MaxRequestBodyBytes = 64 * 1024;
            o.UserAuthenticationSchemes.Add(TestReviewerAuthentication.SchemeName);
            configure?.Invoke(o);
        });
        builder.Services.AddAuthentication(TestReviewerAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, TestReviewerAuthentication>(TestReviewerAuthentication.SchemeName, null);
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapCountersign();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new ServerHost(app, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/"));
    }

    public HttpClient Reviewer(string name, params string[] roles)
    {
        var http = new HttpClient { BaseAddress = BaseAddress };
        http.DefaultRequestHeaders.Add("X-Test-User", name);
        http.DefaultRequestHeaders.Add("X-Test-Roles", string.Join(',', roles));
        return http;
    }

    public async Task<RegisteredApp> RegisterAppAsync(string name = "agent")
    {
        using var admin = Reviewer("root", "admin");
        using var response = await admin.PostAsJsonAsync("v1/apps", new { name });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<RegisteredApp>())!;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
