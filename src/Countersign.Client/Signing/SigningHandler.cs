using Microsoft.Extensions.Options;

namespace Countersign.Client.Signing;

/// <summary>
/// Signs every attempt of every request with a fresh timestamp and nonce. It sits inside the retry handler, so a retried
/// request is a new signed request rather than a replay the server would refuse.
/// </summary>
internal sealed class SigningHandler : DelegatingHandler
{
    private readonly byte[] _key;
    private readonly string _appId;
    private readonly TimeProvider _timeProvider;

    public SigningHandler(IOptions<CountersignClientOptions> options, TimeProvider timeProvider)
    {
        var value = options.Value;
        _appId = value.AppId!;
        _key = RequestSignature.DeriveKey(value.Secret!);
        _timeProvider = timeProvider;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var timestamp = RequestSignature.FormatTimestamp(_timeProvider.GetUtcNow());
        var nonce = RequestSignature.NewNonce();
        var stringToSign = RequestSignature.StringToSign(timestamp, nonce, request.Method.Method, request.RequestUri!.PathAndQuery, body);
        var headers = request.Headers;
        headers.Remove(RequestSignature.KeyIdHeader);
        headers.Remove(RequestSignature.TimestampHeader);
        headers.Remove(RequestSignature.NonceHeader);
        headers.Remove(RequestSignature.SignatureHeader);
        headers.TryAddWithoutValidation(RequestSignature.KeyIdHeader, _appId);
        headers.TryAddWithoutValidation(RequestSignature.TimestampHeader, timestamp);
        headers.TryAddWithoutValidation(RequestSignature.NonceHeader, nonce);
        headers.TryAddWithoutValidation(RequestSignature.SignatureHeader, RequestSignature.Sign(_key, stringToSign));
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
