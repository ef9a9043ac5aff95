using System.Collections.Concurrent;

namespace Countersign.Signoff;

/// <summary>
/// The sign-off gate of one record type, read from its <see cref="SignoffGateAttribute"/> declarations (its own and
/// its base types'). Stores use it to generate database constraints that match the in-memory gate.
/// </summary>
public sealed class SignoffGateDeclaration
{
    private const SignoffFields AllFields = SignoffFields.VerbatimResponse | SignoffFields.ResponsibleOwner | SignoffFields.ApprovalId | SignoffFields.SignedAt;

    private static readonly ConcurrentDictionary<Type, SignoffGateDeclaration> Cache = new();

    private SignoffGateDeclaration(
        Type recordType,
        Type statusType,
        IReadOnlyList<string> gatedStatusNames,
        IReadOnlyList<string>? knownStatusNames,
        SignoffFields requiredFields,
        int minimumVerbatimLength,
        bool requireIssuedSignoff)
    {
        RecordType = recordType;
        StatusType = statusType;
        GatedStatusNames = gatedStatusNames;
        KnownStatusNames = knownStatusNames;
        RequiredFields = requiredFields;
        MinimumVerbatimLength = minimumVerbatimLength;
        RequireIssuedSignoff = requireIssuedSignoff;
    }

    /// <summary>Gets the gated record type.</summary>
    public Type RecordType { get; }

    /// <summary>Gets the status type: <see cref="string"/> or an enum.</summary>
    public Type StatusType { get; }

    /// <summary>Gets the consequential statuses in their stored form (the string, or the enum member's name).</summary>
    public IReadOnlyList<string> GatedStatusNames { get; }

    /// <summary>
    /// Gets every status the record can have, in stored form, when the status is an enum (its members' names);
    /// <see langword="null"/> for a string status, which can be any text.
    /// </summary>
    public IReadOnlyList<string>? KnownStatusNames { get; }

    /// <summary>Gets the fields a sign-off must hold in a gated status.</summary>
    public SignoffFields RequiredFields { get; }

    /// <summary>Gets how many characters that are not whitespace a required verbatim response needs.</summary>
    public int MinimumVerbatimLength { get; }

    /// <summary>Gets whether a sign-off must verify with the verifier registered in <see cref="SignoffTrust"/>.</summary>
    public bool RequireIssuedSignoff { get; }

    /// <summary>Reads the declaration of <typeparamref name="TRecord"/>.</summary>
    /// <typeparam name="TRecord">A type deriving from <see cref="SignoffGatedRecord{TStatus}"/>.</typeparam>
    /// <returns>The declaration.</returns>
    /// <exception cref="InvalidOperationException">The type declares no gate, or declares it wrongly.</exception>
    public static SignoffGateDeclaration For<TRecord>()
        where TRecord : ISignoffGatedRecord => For(typeof(TRecord));

    /// <summary>Reads the declaration of <paramref name="recordType"/>.</summary>
    /// <param name="recordType">A type deriving from <see cref="SignoffGatedRecord{TStatus}"/>.</param>
    /// <returns>The declaration.</returns>
    /// <exception cref="ArgumentException"><paramref name="recordType"/> does not derive from <see cref="SignoffGatedRecord{TStatus}"/>.</exception>
    /// <exception cref="InvalidOperationException">The type declares no gate, or declares it wrongly.</exception>
    public static SignoffGateDeclaration For(Type recordType)
    {
        ArgumentNullException.ThrowIfNull(recordType);
        return Cache.TryGetValue(recordType, out var cached) ? cached : Cache.GetOrAdd(recordType, static type => Read(type));
    }

    private static SignoffGateDeclaration Read(Type recordType)
    {
        var gatedBase = FindGatedBase(recordType)
            ?? throw new ArgumentException($"{recordType} does not derive from SignoffGatedRecord<TStatus>.", nameof(recordType));
        var statusType = gatedBase.GetGenericArguments()[0];
        if (statusType != typeof(string) && !statusType.IsEnum)
        {
            throw new InvalidOperationException($"{recordType.Name}: a gated record's status must be a string or an enum, not {statusType}.");
        }

        var declarations = new List<SignoffGateAttribute>();
        for (var type = recordType; type != gatedBase && type is not null; type = type.BaseType)
        {
            if (Attribute.GetCustomAttribute(type, typeof(SignoffGateAttribute), inherit: false) is SignoffGateAttribute declared)
            {
                declarations.Add(declared);
            }
        }

        if (declarations.Count == 0)
        {
            throw new InvalidOperationException(
                $"{recordType.Name} derives from SignoffGatedRecord<{statusType.Name}> but declares no [SignoffGate(...)]: say which statuses need a sign-off.");
        }

        var gated = new List<string>();
        var required = SignoffFields.None;
        var minimumLength = 0;
        var requireIssued = false;
        foreach (var declared in declarations)
        {
            if ((declared.RequiredFields & ~AllFields) != 0)
            {
                throw new InvalidOperationException($"{recordType.Name}: [SignoffGate] names unknown required fields ({declared.RequiredFields}).");
            }

            if (declared.MinimumVerbatimLength < 1)
            {
                throw new InvalidOperationException($"{recordType.Name}: [SignoffGate] MinimumVerbatimLength must be at least 1, not {declared.MinimumVerbatimLength}.");
            }

            foreach (var status in declared.GatedStatuses)
            {
                var name = NameOfDeclaredStatus(recordType, statusType, status);
                if (!gated.Contains(name, StringComparer.Ordinal))
                {
                    gated.Add(name);
                }
            }

            required |= declared.RequiredFields;
            minimumLength = Math.Max(minimumLength, declared.MinimumVerbatimLength);
            requireIssued |= declared.RequireIssuedSignoff;
        }

        if (gated.Count == 0)
        {
            throw new InvalidOperationException($"{recordType.Name}: [SignoffGate] lists no gated status.");
        }

        if (required == SignoffFields.None && !requireIssued)
        {
            throw new InvalidOperationException($"{recordType.Name}: [SignoffGate] requires no sign-off field; name at least one or require issued sign-offs.");
        }

        IReadOnlyList<string>? known = statusType.IsEnum
            ? Array.AsReadOnly(Enum.GetValues(statusType).Cast<object>().Select(value => Enum.GetName(statusType, value)!).Distinct(StringComparer.Ordinal).ToArray())
            : null;
        return new SignoffGateDeclaration(recordType, statusType, gated.AsReadOnly(), known, required, minimumLength, requireIssued);
    }

    private static string NameOfDeclaredStatus(Type recordType, Type statusType, object? status)
    {
        if (statusType == typeof(string))
        {
            return status as string
                ?? throw new InvalidOperationException($"{recordType.Name}: [SignoffGate] lists '{status}', but the status is a string; list strings.");
        }

        if (status is null || status.GetType() != statusType || !Enum.IsDefined(statusType, status))
        {
            throw new InvalidOperationException($"{recordType.Name}: [SignoffGate] lists '{status}', which is not a member of {statusType.Name}.");
        }

        return Enum.GetName(statusType, status)!;
    }

    private static Type? FindGatedBase(Type recordType)
    {
        for (var type = recordType.BaseType; type is not null; type = type.BaseType)
        {
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(SignoffGatedRecord<>))
            {
                return type;
            }
        }

        return null;
    }
}
