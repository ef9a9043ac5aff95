using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Countersign.Telemetry;

/// <summary>
/// The names of Countersign's <see cref="ActivitySource"/> and <see cref="Meter"/>, for OpenTelemetry's
/// <c>AddSource</c> and <c>AddMeter</c>.
/// </summary>
public static class CountersignTelemetry
{
    /// <summary>The name of the activity source and of the meter: <c>Countersign</c>.</summary>
    public const string Name = "Countersign";

    /// <summary>The guarded tool's name, as OpenTelemetry's generative-AI conventions name it.</summary>
    public const string ToolNameAttribute = "gen_ai.tool.name";

    /// <summary>The intercepted call's identifier.</summary>
    public const string ActionIdAttribute = "countersign.action_id";

    /// <summary>The policy's verdict: <c>allow</c>, <c>deny</c> or <c>require_approval</c>.</summary>
    public const string VerdictAttribute = "countersign.verdict";

    /// <summary>The enforcement mode: <c>enforce</c>, <c>shadow</c> or <c>sample</c>.</summary>
    public const string ModeAttribute = "countersign.mode";

    /// <summary>Why the call may run: <c>allow</c>, <c>approved</c>, <c>shadow_mode</c>, <c>review_shadow</c> or <c>fail_open</c>.</summary>
    public const string ExecutionPathAttribute = "countersign.execution_path";

    /// <summary>The stable code of a denial, for example <c>policy</c> or <c>timeout</c>.</summary>
    public const string DenialCodeAttribute = "countersign.denial.code";

    /// <summary>How an approval a call waited for ended: <c>granted</c>, <c>denied</c>, <c>expired</c>, ...</summary>
    public const string ApprovalStatusAttribute = "countersign.approval.status";

    internal static readonly ActivitySource ActivitySource = new(Name, typeof(CountersignTelemetry).Assembly.GetName().Version?.ToString());
}
