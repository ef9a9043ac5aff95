using Countersign.Text;

namespace Countersign.Governance;

/// <summary>What <see cref="ScopeGateBuilderExtensions.AddScope"/> configures: the tools each agent may use.</summary>
public sealed class ScopeOptions
{
    /// <summary>Gets the scopes: agent id → tool names and globs. A policy file's <c>scopes:</c> section adds to them.</summary>
    public IDictionary<string, IList<string>> Scopes { get; } = new Dictionary<string, IList<string>>(StringComparer.Ordinal);

    /// <summary>Gets or sets whether agents without a scope (and calls naming no agent) are denied every tool. Default: allowed.</summary>
    public bool DenyUnscopedAgents { get; set; }

    /// <summary>Gets or sets a callback run when a call is denied for being out of scope.</summary>
    public Func<OnOutOfScopeArguments, ValueTask>? OnOutOfScope { get; set; }

    /// <summary>Lets <paramref name="agentId"/> use <paramref name="tools"/> (exact names or globs), in addition to what it may already use.</summary>
    /// <param name="agentId">The agent.</param>
    /// <param name="tools">Tool names or globs such as <c>invoice_*</c>.</param>
    /// <returns>These options.</returns>
    public ScopeOptions Allow(string agentId, params string[] tools)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(agentId);
        ArgumentNullException.ThrowIfNull(tools);
        if (!Scopes.TryGetValue(agentId, out var list))
        {
            list = [];
            Scopes[agentId] = list;
        }

        foreach (var tool in tools)
        {
            list.Add(tool);
        }

        return this;
    }

    internal void Validate(List<string> errors)
    {
        foreach (var (agent, tools) in Scopes)
        {
            if (string.IsNullOrWhiteSpace(agent) || ReviewerText.ContainsUnsafeCharacter(agent))
            {
                errors.Add($"Scope agent '{ReviewerText.Neutralize(agent, 100)}' must be a non-empty name without control or format characters.");
            }

            foreach (var tool in tools ?? [])
            {
                if (string.IsNullOrWhiteSpace(tool) || ReviewerText.ContainsUnsafeCharacter(tool))
                {
                    errors.Add($"Scope of agent '{ReviewerText.Neutralize(agent, 100)}': tool '{ReviewerText.Neutralize(tool, 100)}' must be a non-empty name or glob without control or format characters.");
                }
            }
        }
    }
}
