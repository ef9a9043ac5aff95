using System.Collections.Concurrent;

namespace Countersign.Signoff;

/// <summary>
/// Tells record types that declare <see cref="SignoffGateAttribute.RequireIssuedSignoff"/> which verifier decides
/// whether a sign-off was issued by Countersign. Register once at startup, before such records are built or loaded.
/// </summary>
/// <remarks>
/// Records are built with <see langword="new"/>, by deserializers and by stores, none of which can be handed a
/// service, so the trust anchor is process-wide, per record type. A type with no verifier of its own uses the one
/// registered for its nearest gated base type. A gated record that requires issued sign-offs and finds no verifier
/// refuses every gated status (it fails closed) with an <see cref="InvalidOperationException"/> naming the type.
/// </remarks>
public static class SignoffTrust
{
    private static readonly ConcurrentDictionary<Type, ISignoffVerifier> Verifiers = new();

    /// <summary>Makes <paramref name="verifier"/> the judge of sign-offs on <typeparamref name="TRecord"/> and its subtypes.</summary>
    /// <typeparam name="TRecord">The gated record type.</typeparam>
    /// <param name="verifier">The verifier, usually the application's <see cref="SignoffIssuer"/>; it replaces any earlier one.</param>
    public static void Register<TRecord>(ISignoffVerifier verifier)
        where TRecord : ISignoffGatedRecord => Register(typeof(TRecord), verifier);

    /// <summary>Makes <paramref name="verifier"/> the judge of sign-offs on <paramref name="recordType"/> and its subtypes.</summary>
    /// <param name="recordType">A type deriving from <see cref="SignoffGatedRecord{TStatus}"/>.</param>
    /// <param name="verifier">The verifier; it replaces any earlier one.</param>
    /// <exception cref="ArgumentException"><paramref name="recordType"/> is not a sign-off gated record type.</exception>
    public static void Register(Type recordType, ISignoffVerifier verifier)
    {
        ArgumentNullException.ThrowIfNull(recordType);
        ArgumentNullException.ThrowIfNull(verifier);
        if (!typeof(ISignoffGatedRecord).IsAssignableFrom(recordType))
        {
            throw new ArgumentException($"{recordType} is not a sign-off gated record type.", nameof(recordType));
        }

        Verifiers[recordType] = verifier;
    }

    internal static ISignoffVerifier? Find(Type recordType)
    {
        for (var type = recordType; type is not null; type = type.BaseType)
        {
            if (Verifiers.TryGetValue(type, out var verifier))
            {
                return verifier;
            }
        }

        return null;
    }
}
