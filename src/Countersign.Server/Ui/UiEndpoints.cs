using System.Security.Claims;
using Countersign.Server.Accounts;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Countersign.Server.Ui;

/// <summary>The reviewer web UI: its services and its routes.</summary>
internal static class UiEndpoints
{
    /// <summary>The area the UI's Razor Pages live in; their addresses start with it.</summary>
    public const string Area = "Countersign";

    public static IServiceCollection AddCountersignUi(this IServiceCollection services)
    {
        services.AddOptions<CountersignServerOptions>().Validate(static o => o.LoginAttemptsPerWindow >= 1, "Countersign:Server:LoginAttemptsPerWindow must be at least 1.")
            .Validate(static o => o.LoginWindow > TimeSpan.Zero, "Countersign:Server:LoginWindow must be positive.")
            .Validate(static o => o.SessionLifetime > TimeSpan.Zero, "Countersign:Server:SessionLifetime must be positive.")
            .Validate(static o => !string.IsNullOrWhiteSpace(o.UsersDatabasePath), "Countersign:Server:UsersDatabasePath must be set.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IUserStore>(static provider =>
            new SqliteUserStore(provider.GetRequiredService<IOptions<CountersignServerOptions>>().Value.UsersDatabasePath));
        services.TryAddSingleton(static provider =>
            new UserAccounts(provider.GetRequiredService<IUserStore>(), provider.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<LoginRateLimiter>();
        services.TryAddSingleton<FirstAdminSetup>();
        services.TryAddSingleton<DashboardStatistics>();
        services.AddHostedService(static provider => provider.GetRequiredService<FirstAdminSetup>());

        services.AddAuthentication().AddCookie(CountersignAuthentication.CookieScheme);
        services.AddOptions<CookieAuthenticationOptions>(CountersignAuthentication.CookieScheme)
            .Configure<IOptions<CountersignServerOptions>>(static (cookie, server) => ConfigureCookie(cookie, server.Value));

        services.AddRazorPages(static pages =>
        {
            pages.Conventions.AuthorizeAreaFolder(Area, "/", CountersignAuthentication.ViewerPolicy);
            pages.Conventions.AllowAnonymousToAreaPage(Area, "/Login");
            pages.Conventions.AllowAnonymousToAreaPage(Area, "/Setup");
            pages.Conventions.AuthorizeAreaPage(Area, "/Decide", CountersignAuthentication.ReviewerPolicy);
            pages.Conventions.AddAreaFolderApplicationModelConvention(Area, "/", static model => model.Filters.Add(new SecurityHeadersFilter()));
        }).ConfigureApplicationPartManager(static manager =>
        {
            // The app finds this library's pages by itself only when its entry assembly references it directly.
            var assembly = typeof(UiEndpoints).Assembly;
            if (!manager.ApplicationParts.OfType<AssemblyPart>().Any(part => part.Assembly == assembly))
            {
                foreach (var part in ApplicationPartFactory.GetApplicationPartFactory(assembly).GetApplicationParts(assembly))
                {
                    manager.ApplicationParts.Add(part);
                }
            }
        });
        return services;
    }

    public static IEndpointRouteBuilder MapCountersignUi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapRazorPages();
        var ui = endpoints.MapGroup("/" + Area).ExcludeFromDescription();
        ui.MapGet("/assets/{name}", UiAssets.Serve).AllowAnonymous();
        ui.MapGet("/queue/events", QueueEvents.Stream).RequireAuthorization(CountersignAuthentication.ViewerPolicy);
        return endpoints;
    }

    private static void ConfigureCookie(CookieAuthenticationOptions cookie, CountersignServerOptions server)
    {
        cookie.Cookie.Name = "countersign_session";
        cookie.Cookie.HttpOnly = true;
        cookie.Cookie.SameSite = SameSiteMode.Strict;
        cookie.Cookie.SecurePolicy = CookieSecurePolicy.Always;
        cookie.ExpireTimeSpan = server.SessionLifetime;
        cookie.SlidingExpiration = true;
        cookie.LoginPath = "/" + Area + "/Login";
        cookie.LogoutPath = "/" + Area + "/Logout";
        cookie.AccessDeniedPath = "/" + Area + "/Denied";
        cookie.ReturnUrlParameter = "returnUrl";

        // Pages redirect to the sign-in form; the API and the UI's own scripts get a plain status code.
        cookie.Events.OnRedirectToLogin = context => RedirectOrStatus(context, StatusCodes.Status401Unauthorized);
        cookie.Events.OnRedirectToAccessDenied = context => RedirectOrStatus(context, StatusCodes.Status403Forbidden);
        cookie.Events.OnValidatePrincipal = ValidateUserStillExists;
    }

    private static Task RedirectOrStatus(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        var request = context.Request;
        var isPage = HttpMethods.IsGet(request.Method)
            && request.Path.StartsWithSegments("/" + Area, StringComparison.OrdinalIgnoreCase)
            && !request.Path.StartsWithSegments("/" + Area + "/queue/events", StringComparison.OrdinalIgnoreCase)
            && !request.Headers.ContainsKey(UiHeaders.Script);
        if (isPage)
        {
            context.Response.Redirect(context.RedirectUri);
        }
        else
        {
            context.Response.StatusCode = status;
        }

        return Task.CompletedTask;
    }

    // A session ends as soon as its user is gone or holds another role, not when the cookie expires.
    private static async Task ValidateUserStillExists(CookieValidatePrincipalContext context)
    {
        var name = context.Principal?.Identity?.Name;
        var role = context.Principal?.FindFirst(ClaimTypes.Role)?.Value;
        var store = context.HttpContext.RequestServices.GetRequiredService<IUserStore>();
        var user = name is null ? null : await store.FindAsync(name, context.HttpContext.RequestAborted).ConfigureAwait(false);
        if (user is null || !string.Equals(user.Role, role, StringComparison.Ordinal))
        {
            context.RejectPrincipal();
        }
    }
}
