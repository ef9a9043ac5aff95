using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Countersign.Client.Signing;

namespace Countersign.Server.Tests;

/// <summary>Sends raw signed requests, so tests can forge, replay and age signatures.</summary>
internal sealed class SignedClient(Uri baseAddress, string appId, string secret, TimeProvider? clock = null) : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly HttpClient _http = new() { BaseAddress = baseAddress };

    public string AppId { get; } = appId;

    public HttpRequestMessage Create(HttpMethod method, string path, string? body = null, string? nonce = null, DateTimeOffset? at = null, string? secretOverride = null)
    {
        var message = new HttpRequestMessage(method, path);
        var bytes = body is null ? [] : Encoding.UTF8.GetBytes(body);
        if (body is not null)
        {
            message.Content = new ByteArrayContent(bytes);
            message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        var timestamp = RequestSignature.FormatTimestamp(at ?? (clock ?? TimeProvider.System).GetUtcNow());
        nonce ??= RequestSignature.NewNonce();
        var uri = new Uri(_http.BaseAddress!, path);
        var signature = RequestSignature.Sign(RequestSignature.DeriveKey(secretOverride ?? secret), RequestSignature.StringToSign(timestamp, nonce, method.Method, uri.PathAndQuery, bytes));
        message.Headers.Add(RequestSignature.KeyIdHeader, AppId);
        message.Headers.Add(RequestSignature.TimestampHeader, timestamp);
        message.Headers.Add(RequestSignature.NonceHeader, nonce);
        message.Headers.Add(RequestSignature.SignatureHeader, signature);
        return message;
    }

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage message, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead) => _http.SendAsync(message, completion);

    public Task<HttpResponseMessage> PostAsync(string path, object body) =>
        _http.SendAsync(Create(HttpMethod.Post, path, JsonSerializer.Serialize(body, Json)));

    public Task<HttpResponseMessage> GetAsync(string path) => _http.SendAsync(Create(HttpMethod.Get, path));

    public void Dispose() => _http.Dispose();
}
