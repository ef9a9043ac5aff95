using System.Collections.Concurrent;

namespace Countersign.Signoff;

/// <summary>The gate of one record type, typed by its status, as the record checks it on every change.</summary>
/// <typeparam name="TStatus">The status type: <see cref="string"/> or an enum.</typeparam>
internal sealed class SignoffRules<TStatus>
    where TStatus : notnull
{
    private static readonly ConcurrentDictionary<Type, SignoffRules<TStatus>> Cache = new();

    private readonly TStatus[] _gated;
    private readonly Dictionary<TStatus, string>? _enumNames;
    private readonly Dictionary<string, TStatus>? _enumValues;

    private SignoffRules(SignoffGateDeclaration declaration)
    {
        Declaration = declaration;
        if (typeof(TStatus).IsEnum)
        {
            _enumNames = [];
            _enumValues = new(StringComparer.Ordinal);
            foreach (TStatus value in Enum.GetValues(typeof(TStatus)))
            {
                var name = Enum.GetName(typeof(TStatus), value)!;
                _enumNames.TryAdd(value, name);
                _enumValues.TryAdd(name, value);
            }
        }

        _gated = declaration.GatedStatusNames.Select(Parse).ToArray();
    }

    public SignoffGateDeclaration Declaration { get; }

    public static SignoffRules<TStatus> For(Type recordType) =>
        Cache.TryGetValue(recordType, out var rules)
            ? rules
            : Cache.GetOrAdd(recordType, static type => new SignoffRules<TStatus>(SignoffGateDeclaration.For(type)));

    public bool IsGated(TStatus status)
    {
        foreach (var gated in _gated)
        {
            if (EqualityComparer<TStatus>.Default.Equals(gated, status))
            {
                return true;
            }
        }

        return false;
    }

    public string NameOf(TStatus status) => _enumNames is null ? (string)(object)status : _enumNames[status];

    public TStatus Parse(string name)
    {
        if (_enumValues is null)
        {
            return (TStatus)(object)name;
        }

        return _enumValues.TryGetValue(name, out var value)
            ? value
            : throw new FormatException($"'{name}' is not a member of {typeof(TStatus).Name}.");
    }

    /// <summary>Throws the BCL's exceptions for a status no record may hold: null, or an undefined enum value.</summary>
    public void EnsureValid(TStatus status)
    {
        if (status is null)
        {
            throw new ArgumentNullException(nameof(status));
        }

        if (_enumNames is not null && !_enumNames.ContainsKey(status))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, $"{status} is not a member of {typeof(TStatus).Name}.");
        }
    }

    /// <summary>Returns the sign-off fields missing for <paramref name="status"/>, or an empty list when the gate is satisfied.</summary>
    public IReadOnlyList<string> FindMissing(TStatus status, HumanSignoff? signoff)
    {
        EnsureValid(status);
        if (!IsGated(status))
        {
            return [];
        }

        var required = Declaration.RequiredFields;
        List<string>? missing = null;
        if ((required & SignoffFields.VerbatimResponse) != 0
            && SignoffText.CountSignificant(signoff?.VerbatimResponse) < Declaration.MinimumVerbatimLength)
        {
            (missing ??= []).Add(nameof(HumanSignoff.VerbatimResponse));
        }

        if ((required & SignoffFields.ResponsibleOwner) != 0 && SignoffText.CountSignificant(signoff?.ResponsibleOwner) == 0)
        {
            (missing ??= []).Add(nameof(HumanSignoff.ResponsibleOwner));
        }

        if ((required & SignoffFields.ApprovalId) != 0 && SignoffText.CountSignificant(signoff?.ApprovalId) == 0)
        {
            (missing ??= []).Add(nameof(HumanSignoff.ApprovalId));
        }

        if ((required & SignoffFields.SignedAt) != 0 && signoff?.SignedAt is null)
        {
            (missing ??= []).Add(nameof(HumanSignoff.SignedAt));
        }

        if (Declaration.RequireIssuedSignoff && !IsIssued(signoff))
        {
            (missing ??= []).Add(nameof(HumanSignoff.Signature));
        }

        return missing is null ? [] : missing.AsReadOnly();
    }

    public void Enforce(TStatus status, HumanSignoff? signoff)
    {
        var missing = FindMissing(status, signoff);
        if (missing.Count > 0)
        {
            throw SignoffRequiredException.Create(Declaration.RecordType, NameOf(status), missing, Declaration.MinimumVerbatimLength);
        }
    }

    private bool IsIssued(HumanSignoff? signoff)
    {
        var verifier = SignoffTrust.Find(Declaration.RecordType)
            ?? throw new InvalidOperationException(
                $"{Declaration.RecordType.Name} requires issued sign-offs but no verifier is registered; call "
                + $"SignoffTrust.Register<{Declaration.RecordType.Name}>(issuer) at startup.");
        return signoff is not null && verifier.Verify(signoff);
    }
}
