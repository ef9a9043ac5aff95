using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Countersign.Server.Accounts;

/// <summary>
/// Lets the first admin be created from the browser: when the server starts with no users, it makes a one-time token
/// and prints the setup address with it to the log. The token works once, and only while there are still no users.
/// </summary>
internal sealed partial class FirstAdminSetup(IUserStore users, ILogger<FirstAdminSetup> logger) : IHostedService
{
    public const string SetupPath = "/Countersign/Setup";
    private byte[]? _tokenHash;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (await users.CountAsync(cancellationToken).ConfigureAwait(false) > 0)
        {
            return;
        }

        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        Volatile.Write(ref _tokenHash, Hash(token));
        FirstAdminTokenIssued(logger, SetupPath, token);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Whether a token is waiting to be used.</summary>
    public bool IsOpen => Volatile.Read(ref _tokenHash) is not null;

    /// <summary>Spends the token: true once, for the right token; every later call is false.</summary>
    public bool TryRedeem(string? token)
    {
        var expected = Volatile.Read(ref _tokenHash);
        if (expected is null || string.IsNullOrEmpty(token) || token.Length > 100
            || !CryptographicOperations.FixedTimeEquals(expected, Hash(token)))
        {
            return false;
        }

        return Interlocked.CompareExchange(ref _tokenHash, null, expected) == expected;
    }

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning,
        Message = "Countersign has no users yet. Create the first admin at {SetupPath}?token={Token} (the token works once; or run `countersign users add`).")]
    private static partial void FirstAdminTokenIssued(ILogger logger, string setupPath, string token);
}
