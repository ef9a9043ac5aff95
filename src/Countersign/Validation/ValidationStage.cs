using System.Text.Json;
using Countersign.Pipeline;
using Countersign.Serialization;

namespace Countersign;

/// <summary>
/// The first step of every call: checks the request, turns its arguments into canonical JSON within the size limit
/// and computes the keyed payload hash. A malformed request is the caller's bug, not a decision, so it throws
/// <see cref="ArgumentException"/> instead of being denied.
/// </summary>
internal sealed class ValidationStage
{
    private const int MaxToolNameLength = 256;
    private readonly PayloadHasher _hasher;
    private readonly int _maxPayloadBytes;

    public ValidationStage(PayloadHasher hasher, int maxPayloadBytes)
    {
        _hasher = hasher;
        _maxPayloadBytes = maxPayloadBytes;
    }

    public void Apply(GateContext context)
    {
        var request = context.Request;
        var canonical = CanonicalJson.ToUtf8Bytes(request.Arguments);
        if (canonical.Length > _maxPayloadBytes)
        {
            throw new ArgumentException(
                $"The arguments of '{request.ToolName}' are {canonical.Length} bytes of canonical JSON; the limit is {_maxPayloadBytes} (CountersignOptions.MaxPayloadBytes).",
                nameof(context));
        }

        context.CanonicalArguments = canonical;
        context.PayloadHash = _hasher.ComputeCanonical(request.ToolName, canonical);
    }

    public static void Validate(ActionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.ToolName))
        {
            throw new ArgumentException("The action needs a tool name; it is null, empty or white space.", nameof(request));
        }

        if (request.ToolName.Length > MaxToolNameLength || Text.ReviewerText.ContainsUnsafeCharacter(request.ToolName))
        {
            throw new ArgumentException(
                $"The tool name '{Text.ReviewerText.Neutralize(request.ToolName, 64)}' is invalid: at most {MaxToolNameLength} characters, and no control or format (bidi, zero-width) characters.",
                nameof(request));
        }

        if (request.Arguments.ValueKind == JsonValueKind.Undefined)
        {
            throw new ArgumentException("The action's arguments are an undefined JSON value; use ActionArguments.From(...).", nameof(request));
        }
    }
}
