namespace Countersign;

/// <summary>Thrown by a store or audit log that cannot do what was asked; on an enforcement path the gate turns it into a denial.</summary>
public sealed class CountersignStoreException : CountersignException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="isTransient">Whether retrying later may succeed.</param>
    /// <param name="innerException">The provider's exception.</param>
    public CountersignStoreException(string message, bool isTransient, Exception? innerException = null)
        : base(message, actionId: null, innerException)
    {
        IsTransient = isTransient;
    }

    /// <summary>Gets whether retrying later may succeed (a lock or a dropped connection, not a corrupt file).</summary>
    public bool IsTransient { get; }
}
