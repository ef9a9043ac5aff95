namespace Countersign;

/// <summary>The base of every exception Countersign throws for a reason of its own (not misuse of the API).</summary>
public abstract class CountersignException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="actionId">The intercepted call's identifier, if there is one.</param>
    /// <param name="innerException">The cause, if any.</param>
    protected CountersignException(string message, string? actionId, Exception? innerException = null)
        : base(message, innerException)
    {
        ActionId = actionId;
    }

    /// <summary>Gets the identifier of the intercepted call; look it up in the audit log.</summary>
    public string? ActionId { get; }
}
