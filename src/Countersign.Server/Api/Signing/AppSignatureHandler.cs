using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json;
using Countersign.Client.Signing;
using Countersign.Server.Api.Apps;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Countersign.Server.Api.Signing;

/// <summary>
/// Authenticates remote agents by the request signature (<see cref="RequestSignature"/>): a registered, unrevoked app,
/// a timestamp inside the window, a valid HMAC over timestamp, nonce, method, path and body hash (compared in constant
/// time), and a nonce not seen inside the window. Anything else is a 401 problem, and the request goes no further.
/// </summary>
internal sealed class AppSignatureHandler : AuthenticationHandler<AppSignatureOptions>
{
    private static readonly object FailureKey = new();
    private readonly AppRegistry _apps;
    private readonly NonceRegistry _nonces;
    private readonly CountersignServerOptions _server;

    public AppSignatureHandler(
        IOptionsMonitor<AppSignatureOptions> options,
        ILoggerFactory logger,
        UrlEncoder encoder,
        AppRegistry apps,
        NonceRegistry nonces,
        IOptions<CountersignServerOptions> server)
        : base(options, logger, encoder)
    {
        _apps = apps;
        _nonces = nonces;
        _server = server.Value;
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var headers = Request.Headers;
        string? keyId = headers[RequestSignature.KeyIdHeader];
        string? timestamp = headers[RequestSignature.TimestampHeader];
        string? nonce = headers[RequestSignature.NonceHeader];
        string? signature = headers[RequestSignature.SignatureHeader];
        if (keyId is null && timestamp is null && nonce is null && signature is null)
        {
            return Fail(StatusCodes.Status401Unauthorized, "The request is not signed: send the Countersign-Key-Id, Countersign-Timestamp, Countersign-Nonce and Countersign-Signature headers.");
        }

        if (string.IsNullOrEmpty(keyId) || string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(nonce) || string.IsNullOrEmpty(signature))
        {
            return Fail(StatusCodes.Status401Unauthorized, "The signature is incomplete: all four Countersign-* signature headers are required.");
        }

        if (keyId.Length > 100 || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > 253402300799)
        {
            return Fail(StatusCodes.Status401Unauthorized, "The key id or timestamp is malformed; the timestamp is Unix time in seconds.");
        }

        if (nonce.Length is < RequestSignature.MinNonceLength or > RequestSignature.MaxNonceLength || !nonce.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return Fail(StatusCodes.Status401Unauthorized, $"The nonce must be {RequestSignature.MinNonceLength} to {RequestSignature.MaxNonceLength} letters, digits, '-' or '_'.");
        }

        var now = TimeProvider.GetUtcNow();
        var signedAt = DateTimeOffset.FromUnixTimeSeconds(seconds);
        if ((now - signedAt).Duration() > _server.SignatureWindow)
        {
            return Fail(StatusCodes.Status401Unauthorized, $"The timestamp is outside the {_server.SignatureWindow.TotalMinutes:0.#}-minute window; check the client's clock.");
        }

        var app = await _apps.FindAsync(keyId, Context.RequestAborted).ConfigureAwait(false);
        if (app is null || app.IsRevoked)
        {
            return Fail(StatusCodes.Status401Unauthorized, "The signature is invalid, or the app is unknown or revoked.");
        }

        ReadOnlyMemory<byte> body;
        try
        {
            body = await ApiBody.ReadAsync(Context, _server.MaxRequestBodyBytes).ConfigureAwait(false);
        }
        catch (ApiProblemException ex)
        {
            return Fail(ex.Status, ex.Message);
        }

        var stringToSign = RequestSignature.StringToSign(timestamp, nonce, Request.Method, Request.PathBase.ToUriComponent() + Request.Path.ToUriComponent() + Request.QueryString.ToUriComponent(), body.Span);
        if (!RequestSignature.Verify(app.SigningKey, stringToSign, signature))
        {
            return Fail(StatusCodes.Status401Unauthorized, "The signature is invalid, or the app is unknown or revoked.");
        }

        // Only a correctly signed request spends its nonce, so nobody can burn another app's nonces.
        if (!_nonces.TryUse(app.AppId, nonce, now, signedAt + _server.SignatureWindow))
        {
            return Fail(StatusCodes.Status401Unauthorized, "The nonce was already used: a signed request is accepted once.");
        }

        var identity = new ClaimsIdentity(
            [new Claim(AppClaims.AppId, app.AppId), new Claim(ClaimTypes.Name, app.AppId)],
            Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var (status, detail) = Context.Items.TryGetValue(FailureKey, out var failure) && failure is (int s, string d)
            ? (s, d)
            : (StatusCodes.Status401Unauthorized, "This endpoint needs a request signed by a registered app.");
        Response.StatusCode = status;
        if (status == StatusCodes.Status401Unauthorized)
        {
            Response.Headers.WWWAuthenticate = "Countersign-HMAC-SHA256";
        }

        Response.ContentType = "application/problem+json";
        var problem = new ProblemDetails
        {
            Status = status,
            Title = status == StatusCodes.Status401Unauthorized ? "Unauthorized" : "Request body too large",
            Detail = detail,
        };
        await JsonSerializer.SerializeAsync(Response.Body, problem, ApiJson.Options, Context.RequestAborted).ConfigureAwait(false);
    }

    private AuthenticateResult Fail(int status, string detail)
    {
        Context.Items[FailureKey] = (status, detail);
        return AuthenticateResult.Fail(detail);
    }
}
