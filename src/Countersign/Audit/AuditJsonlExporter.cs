using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Countersign.Audit;

/// <summary>
/// Exports an audit log as JSON Lines: one object per record with every entry field and the chain fields
/// (<c>sequence</c>, <c>key_id</c>, <c>prev_mac</c>, <c>mac</c>), names in snake_case, for jq, SIEMs and archives.
/// </summary>
public static class AuditJsonlExporter
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    /// <summary>Writes the log's records to a stream as UTF-8 JSON Lines.</summary>
    /// <param name="log">The log to read.</param>
    /// <param name="output">The destination; left open.</param>
    /// <param name="afterSequence">Only records after this sequence; 0 exports everything.</param>
    /// <param name="cancellationToken">Cancels the export.</param>
    /// <returns>How many lines were written.</returns>
    public static async ValueTask<long> ExportAsync(IAuditLog log, Stream output, long afterSequence = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfNegative(afterSequence);
        var buffer = new ArrayBufferWriter<byte>(1024);
        long lines = 0;
        await foreach (var record in log.ReadAsync(afterSequence, cancellationToken).ConfigureAwait(false))
        {
            buffer.ResetWrittenCount();
            WriteLine(buffer, record);
            await output.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
            lines++;
        }

        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return lines;
    }

    /// <summary>Writes the log's records to a text writer as JSON Lines.</summary>
    /// <param name="log">The log to read.</param>
    /// <param name="output">The destination; left open.</param>
    /// <param name="afterSequence">Only records after this sequence; 0 exports everything.</param>
    /// <param name="cancellationToken">Cancels the export.</param>
    /// <returns>How many lines were written.</returns>
    public static async ValueTask<long> ExportAsync(IAuditLog log, TextWriter output, long afterSequence = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfNegative(afterSequence);
        var buffer = new ArrayBufferWriter<byte>(1024);
        long lines = 0;
        await foreach (var record in log.ReadAsync(afterSequence, cancellationToken).ConfigureAwait(false))
        {
            buffer.ResetWrittenCount();
            WriteLine(buffer, record);
            await output.WriteAsync(Encoding.UTF8.GetString(buffer.WrittenSpan).AsMemory(), cancellationToken).ConfigureAwait(false);
            lines++;
        }

        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return lines;
    }

    /// <summary>Formats one record as its export line, without the line break.</summary>
    /// <param name="record">The record.</param>
    /// <returns>The JSON object.</returns>
    public static string FormatLine(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, AuditEntryJson.WriterOptions))
        {
            AuditEntryJson.WriteExport(writer, record);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteLine(ArrayBufferWriter<byte> buffer, AuditRecord record)
    {
        using (var writer = new Utf8JsonWriter(buffer, AuditEntryJson.WriterOptions))
        {
            AuditEntryJson.WriteExport(writer, record);
        }

        buffer.Write(NewLine);
    }
}
