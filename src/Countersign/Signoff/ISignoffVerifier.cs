namespace Countersign.Signoff;

/// <summary>Decides whether a sign-off really came from a trusted issuer and is unaltered since.</summary>
public interface ISignoffVerifier
{
    /// <summary>Checks the origin and integrity of <paramref name="signoff"/>.</summary>
    /// <param name="signoff">The sign-off.</param>
    /// <returns><see langword="true"/> if a trusted issuer signed exactly these fields.</returns>
    bool Verify(HumanSignoff signoff);
}
