using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Countersign.Server.Accounts;

/// <summary>
/// Counts sign-in attempts per client IP address in a fixed window (the framework's rate limiter), so a password
/// cannot be guessed at speed. Only the sign-in POST takes a permit; reading the form is free.
/// </summary>
internal sealed class LoginRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<IPAddress> _limiter;

    public LoginRateLimiter(IOptions<CountersignServerOptions> options)
    {
        var settings = options.Value;
        _limiter = PartitionedRateLimiter.Create<IPAddress, IPAddress>(address => RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = settings.LoginAttemptsPerWindow,
            Window = settings.LoginWindow,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    /// <summary>Takes one attempt for <paramref name="address"/>; false when its attempts are used up.</summary>
    public bool TryAcquire(IPAddress? address)
    {
        using var lease = _limiter.AttemptAcquire(address ?? IPAddress.None);
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
