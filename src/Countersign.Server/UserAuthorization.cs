using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Countersign.Server;

/// <summary>
/// The policies of human users (admin, reviewer, viewer), shared by the API's reviewer endpoints and the web UI. They
/// authenticate with <see cref="CountersignServerOptions.UserAuthenticationSchemes"/>, so an app that signs its users in
/// with its own identity provider adds that scheme instead of using Countersign's cookie sign-in.
/// </summary>
internal static class UserAuthorization
{
    public static IServiceCollection AddCountersignUserPolicies(this IServiceCollection services)
    {
        services.AddAuthorization();
        services.AddOptions<AuthorizationOptions>().Configure<IOptions<CountersignServerOptions>>(static (authorization, server) =>
        {
            var schemes = server.Value.UserAuthenticationSchemes.ToArray();
            authorization.AddPolicy(CountersignAuthentication.AdminPolicy, policy => RequireRoles(policy, schemes, CountersignRoles.Admin));
            authorization.AddPolicy(CountersignAuthentication.ReviewerPolicy, policy => RequireRoles(policy, schemes, CountersignRoles.Admin, CountersignRoles.Reviewer));
            authorization.AddPolicy(CountersignAuthentication.ViewerPolicy, policy => RequireRoles(policy, schemes, CountersignRoles.Admin, CountersignRoles.Reviewer, CountersignRoles.Viewer));
        });
        return services;
    }

    private static void RequireRoles(AuthorizationPolicyBuilder policy, string[] schemes, params string[] roles) =>
        policy.AddAuthenticationSchemes(schemes).RequireAuthenticatedUser().RequireRole(roles);
}
