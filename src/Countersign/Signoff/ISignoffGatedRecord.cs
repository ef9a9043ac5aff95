namespace Countersign.Signoff;

/// <summary>
/// What stores and tools see of any sign-off gated record, whatever its status type. Implemented by
/// <see cref="SignoffGatedRecord{TStatus}"/>; derive from that class rather than implementing this yourself.
/// </summary>
public interface ISignoffGatedRecord
{
    /// <summary>Gets the status in its stored form: the string itself, or the enum member's name.</summary>
    string StatusName { get; }

    /// <summary>Gets the sign-off on file, if any.</summary>
    HumanSignoff? Signoff { get; }
}
