using Microsoft.AspNetCore.Authentication;

namespace Countersign.Server.Api.Signing;

/// <summary>Options of the app signature scheme; the window and body limit come from <see cref="CountersignServerOptions"/>.</summary>
internal sealed class AppSignatureOptions : AuthenticationSchemeOptions;
