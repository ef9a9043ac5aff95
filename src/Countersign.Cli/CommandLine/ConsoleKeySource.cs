using System.Threading.Channels;

namespace Countersign.Cli.CommandLine;

/// <summary>
/// Reads the console's keys on one background thread, so a screen can wait for a key and for store changes at once.
/// </summary>
internal sealed class ConsoleKeySource : IKeySource
{
    private readonly Channel<ConsoleKeyInfo> _keys = Channel.CreateBounded<ConsoleKeyInfo>(64);
    private int _started;

    public async ValueTask<ConsoleKeyInfo> ReadKeyAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            // Sets the terminal up for key reading here, on the caller's thread: done lazily by the reader thread it
            // would hold the console's lock while blocked, stalling output, and could drop a key typed meanwhile.
            _ = Console.KeyAvailable;
            var reader = new Thread(ReadLoop) { IsBackground = true, Name = "countersign keys" };
            reader.Start();
        }

        return await _keys.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
    }

    private void ReadLoop()
    {
        try
        {
            while (true)
            {
                var key = Console.ReadKey(intercept: true);
                while (!_keys.Writer.TryWrite(key))
                {
                    // A full buffer means nobody reads; dropping the oldest press is better than blocking the terminal.
                    _keys.Reader.TryRead(out _);
                }
            }
        }
        catch (InvalidOperationException)
        {
            _keys.Writer.TryComplete();
        }
    }
}
