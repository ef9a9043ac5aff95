namespace Countersign.Keys;

/// <summary>
/// Loads a <see cref="KeyRing"/> from wherever the keys are kept: configuration, a secret store, a key file, code.
/// A store calls it once, when it opens; implement it to read keys from any other source.
/// </summary>
public interface IKeyRingProvider
{
    /// <summary>Loads the keys.</summary>
    /// <param name="cancellationToken">Cancels the load.</param>
    /// <returns>The key ring.</returns>
    ValueTask<KeyRing> LoadAsync(CancellationToken cancellationToken = default);
}
