namespace Countersign.Keys;

/// <summary>Provides a key ring built in code.</summary>
public sealed class InMemoryKeyRingProvider : IKeyRingProvider
{
    /// <summary>Creates the provider.</summary>
    /// <param name="ring">The ring every load returns.</param>
    public InMemoryKeyRingProvider(KeyRing ring)
    {
        ArgumentNullException.ThrowIfNull(ring);
        Ring = ring;
    }

    /// <summary>Gets the ring every load returns.</summary>
    public KeyRing Ring { get; }

    /// <inheritdoc/>
    public ValueTask<KeyRing> LoadAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(Ring);
}
