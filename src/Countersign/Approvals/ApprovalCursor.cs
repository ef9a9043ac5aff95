using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Countersign.Approvals;

/// <summary>
/// Where a page of an <see cref="ApprovalQuery"/> ended: the creation time and id of its last approval. The next page
/// starts strictly after it in the query's order, so approvals created meanwhile never shift or repeat pages.
/// </summary>
/// <param name="CreatedAt">The last approval's creation time.</param>
/// <param name="Id">The last approval's id, which orders approvals created at the same instant (ordinal comparison).</param>
public sealed record ApprovalCursor(DateTimeOffset CreatedAt, string Id)
{
    /// <summary>Gets the cursor that continues after <paramref name="request"/>.</summary>
    /// <param name="request">The last approval of a page.</param>
    /// <returns>The cursor.</returns>
    public static ApprovalCursor After(ApprovalRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new ApprovalCursor(request.CreatedAt, request.Id);
    }

    /// <summary>Writes the cursor as an opaque, URL-safe token, for example for a <c>?after=</c> query parameter.</summary>
    /// <returns>The token; <see cref="TryParse"/> reads it back.</returns>
    public string ToToken()
    {
        var text = CreatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture) + ":" + Id;
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));
    }

    /// <summary>Reads a token written by <see cref="ToToken"/>.</summary>
    /// <param name="token">The token.</param>
    /// <param name="cursor">The cursor, when the token is valid.</param>
    /// <returns><see langword="true"/> if the token is valid.</returns>
    public static bool TryParse([NotNullWhen(true)] string? token, [NotNullWhen(true)] out ApprovalCursor? cursor)
    {
        cursor = null;
        if (string.IsNullOrEmpty(token) || token.Length > 4096 || !Base64Url.IsValid(token))
        {
            return false;
        }

        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(Base64Url.DecodeFromChars(token));
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException)
        {
            return false;
        }

        var separator = text.IndexOf(':', StringComparison.Ordinal);
        if (separator <= 0
            || separator == text.Length - 1
            || !long.TryParse(text.AsSpan(0, separator), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return false;
        }

        cursor = new ApprovalCursor(new DateTimeOffset(ticks, TimeSpan.Zero), text[(separator + 1)..]);
        return true;
    }
}
