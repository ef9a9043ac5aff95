using System.Collections.Concurrent;

namespace Countersign.Governance;

/// <summary>
/// The sliding windows of identical calls, in bounded memory: two generations of windows. A window touched is kept in
/// the current generation; the generations rotate when the current one is full or a window's length has passed, so an
/// idle window is dropped after at most two windows' length and no more than <c>maxTracked</c> windows are ever held.
/// </summary>
internal sealed class LoopWindows
{
    private readonly int _repeatsAllowed;
    private readonly long _windowTicks;
    private readonly int _generationSize;
    private readonly Lock _rotation = new();
    private ConcurrentDictionary<LoopKey, Window> _current = new();
    private ConcurrentDictionary<LoopKey, Window> _previous = new();
    private long _rotatedAt;

    // ConcurrentDictionary.Count takes every lock of the table, so the current generation's size is counted here.
    private int _currentCount;

    public LoopWindows(int repeatsAllowed, TimeSpan window, int maxTracked, long now, long timestampFrequency)
    {
        _repeatsAllowed = repeatsAllowed;
        _windowTicks = (long)(window.TotalSeconds * timestampFrequency);
        _generationSize = Math.Max(1, maxTracked / 2);
        _rotatedAt = now;
    }

    /// <summary>Gets how many windows are held.</summary>
    public int Count => _current.Count + _previous.Count;

    /// <summary>Records a call at <paramref name="now"/> and returns how many identical calls its window holds, this one included.</summary>
    public int Record(in LoopKey key, long now)
    {
        var current = _current;
        if (Volatile.Read(ref _currentCount) >= _generationSize || now - Volatile.Read(ref _rotatedAt) >= _windowTicks)
        {
            current = Rotate(current, now);
        }

        if (!current.TryGetValue(key, out var window))
        {
            var candidate = _previous.TryRemove(key, out var kept) ? kept : new Window(_repeatsAllowed + 1);
            window = current.GetOrAdd(key, candidate);
            if (ReferenceEquals(window, candidate))
            {
                Interlocked.Increment(ref _currentCount);
            }
        }

        return window.Add(now, _windowTicks);
    }

    private ConcurrentDictionary<LoopKey, Window> Rotate(ConcurrentDictionary<LoopKey, Window> seen, long now)
    {
        lock (_rotation)
        {
            if (ReferenceEquals(seen, _current))
            {
                _previous = _current;
                _current = new ConcurrentDictionary<LoopKey, Window>();
                Volatile.Write(ref _currentCount, 0);
                Volatile.Write(ref _rotatedAt, now);
            }

            return _current;
        }
    }

    /// <summary>The last calls' timestamps of one (agent, session, tool, payload), in a ring.</summary>
    private sealed class Window(int size)
    {
        private readonly long[] _times = new long[size];
        private int _next;
        private int _filled;

        public int Add(long now, long windowTicks)
        {
            lock (_times)
            {
                _times[_next] = now;
                _next = (_next + 1) % _times.Length;
                _filled = Math.Min(_filled + 1, _times.Length);
                var inWindow = 0;
                for (var i = 0; i < _filled; i++)
                {
                    if (now - _times[i] < windowTicks)
                    {
                        inWindow++;
                    }
                }

                return inWindow;
            }
        }
    }
}

/// <summary>What makes two calls identical for loop detection.</summary>
internal readonly record struct LoopKey(string? AgentId, string? SessionId, string ToolName, string PayloadHash);
