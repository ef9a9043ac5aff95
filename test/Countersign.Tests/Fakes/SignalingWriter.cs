using System.Text;

namespace Countersign.Tests.Fakes;

/// <summary>A text writer that lets a test await the moment some text has been written.</summary>
internal sealed class SignalingWriter : TextWriter
{
    private readonly StringBuilder _text = new();
    private readonly List<(string Text, TaskCompletionSource<string> Seen)> _waiters = [];

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_text)
        {
            _text.Append(value);
            var now = _text.ToString();
            foreach (var waiter in _waiters.Where(w => now.Contains(w.Text, StringComparison.Ordinal)).ToList())
            {
                waiter.Seen.TrySetResult(now);
                _waiters.Remove(waiter);
            }
        }
    }

    public Task<string> WaitForAsync(string text)
    {
        lock (_text)
        {
            var now = _text.ToString();
            if (now.Contains(text, StringComparison.Ordinal))
            {
                return Task.FromResult(now);
            }

            var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((text, seen));
            return seen.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    public override string ToString()
    {
        lock (_text)
        {
            return _text.ToString();
        }
    }
}
