using Countersign.Approvals;

namespace Countersign.Testing;

/// <summary>Adds scripted reviewers to a gate, for unit tests of code that is guarded.</summary>
public static class ScriptedReviewerGateBuilderExtensions
{
    /// <summary>Adds a <see cref="ScriptedReviewerChannel"/> where one reviewer answers each request.</summary>
    /// <param name="builder">The gate builder.</param>
    /// <param name="script">The answer to a request, or <see langword="null"/> to leave it pending.</param>
    /// <returns>The builder, for chaining.</returns>
    public static ActionGateBuilder AddScriptedReviewer(this ActionGateBuilder builder, Func<ApprovalRequest, ScriptedReview?> script)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddChannel(new ScriptedReviewerChannel(script));
    }
}
