using System.Collections.Concurrent;

namespace Countersign.Server.Api.Signing;

/// <summary>
/// Remembers each (app, nonce) pair for as long as its signature could still be accepted, so a request replayed inside
/// the window is refused. Held in memory: a server restart forgets the nonces of the last window.
/// </summary>
internal sealed class NonceRegistry
{
    private const int SweepEvery = 4096;
    private readonly ConcurrentDictionary<string, long> _seen = new(StringComparer.Ordinal);
    private int _sinceSweep;

    public int Count => _seen.Count;

    /// <summary>Records the nonce; <see langword="false"/> if it was seen and has not expired.</summary>
    public bool TryUse(string appId, string nonce, DateTimeOffset now, DateTimeOffset forgetAfter)
    {
        if (Interlocked.Increment(ref _sinceSweep) >= SweepEvery)
        {
            Interlocked.Exchange(ref _sinceSweep, 0);
            Sweep(now);
        }

        var key = appId + "\n" + nonce;
        var forget = forgetAfter.UtcTicks;
        while (true)
        {
            if (_seen.TryAdd(key, forget))
            {
                return true;
            }

            if (!_seen.TryGetValue(key, out var existing))
            {
                continue;
            }

            if (existing > now.UtcTicks || !_seen.TryUpdate(key, forget, existing))
            {
                return false;
            }

            return true;
        }
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, forget) in _seen)
        {
            if (forget <= now.UtcTicks)
            {
                _seen.TryRemove(new KeyValuePair<string, long>(key, forget));
            }
        }
    }
}
