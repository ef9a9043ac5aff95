using System.Collections.Concurrent;
using Countersign.Client.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Countersign.Server.Api.Actions;

/// <summary>
/// The answers given to submissions by idempotency key, per app: the same key with the same payload gets the original
/// answer (marked replayed), another payload 422, and a submission while the first is still being decided 409. Kept in
/// memory for <see cref="CountersignServerOptions.IdempotencyRetention"/>; after that, or after a restart, the gate's
/// own key rules still hold (a pending approval re-attaches; a key that ran never runs again).
/// </summary>
internal sealed class IdempotentAnswers
{
    private const int SweepEvery = 4096;
    private readonly ConcurrentDictionary<string, Entry> _answers = new(StringComparer.Ordinal);
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _retention;
    private int _sinceSweep;

    public IdempotentAnswers(TimeProvider timeProvider, IOptions<CountersignServerOptions> options)
    {
        _timeProvider = timeProvider;
        _retention = options.Value.IdempotencyRetention;
    }

    /// <summary>Starts a submission, or returns the earlier answer; throws 409 or 422 for a conflicting one.</summary>
    public (Entry? Started, ActionVerdict? Earlier) Begin(string appId, string key, string payloadHash)
    {
        var now = _timeProvider.GetUtcNow();
        if (Interlocked.Increment(ref _sinceSweep) >= SweepEvery)
        {
            Interlocked.Exchange(ref _sinceSweep, 0);
            Sweep(now);
        }

        var slot = appId + "\n" + key;
        var entry = new Entry(slot, payloadHash, now + _retention);
        while (true)
        {
            if (_answers.TryAdd(slot, entry))
            {
                return (entry, null);
            }

            if (!_answers.TryGetValue(slot, out var existing))
            {
                continue;
            }

            if (existing.ForgetAt <= now)
            {
                if (_answers.TryUpdate(slot, entry, existing))
                {
                    return (entry, null);
                }

                continue;
            }

            if (!string.Equals(existing.PayloadHash, payloadHash, StringComparison.Ordinal))
            {
                throw new ApiProblemException(
                    StatusCodes.Status422UnprocessableEntity,
                    "Idempotency key reused",
                    $"Idempotency key '{key}' was used for a different payload; a key names one call.");
            }

            return existing.Answer is { } answer
                ? (null, answer with { Replayed = true })
                : throw new ApiProblemException(
                    StatusCodes.Status409Conflict,
                    "Duplicate in progress",
                    $"A submission with idempotency key '{key}' is still being decided; retry it to get its answer.");
        }
    }

    public static void Complete(Entry entry, ActionVerdict answer) => entry.Answer = answer;

    public void Abandon(Entry entry) => _answers.TryRemove(new KeyValuePair<string, Entry>(entry.Slot, entry));

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (slot, entry) in _answers)
        {
            if (entry.ForgetAt <= now)
            {
                _answers.TryRemove(new KeyValuePair<string, Entry>(slot, entry));
            }
        }
    }

    internal sealed class Entry(string slot, string payloadHash, DateTimeOffset forgetAt)
    {
        public string Slot { get; } = slot;

        public string PayloadHash { get; } = payloadHash;

        public DateTimeOffset ForgetAt { get; } = forgetAt;

        private ActionVerdict? _answer;

        public ActionVerdict? Answer
        {
            get => Volatile.Read(ref _answer);
            set => Volatile.Write(ref _answer, value);
        }
    }
}
