using Countersign.Policy;

namespace Countersign.Governance;

/// <summary>
/// The tools each agent may use, compiled: exact names and globs (<c>*</c>, <c>?</c>). Once an agent has a scope,
/// every tool outside it is denied. Ask <see cref="IsInScope"/> to hide out-of-scope tools from a model.
/// </summary>
public sealed class AgentScopes
{
    private readonly Dictionary<string, GlobPattern[]> _scopes;

    internal AgentScopes(IReadOnlyDictionary<string, IReadOnlyList<string>> scopes, bool denyUnscopedAgents)
    {
        _scopes = scopes.ToDictionary(s => s.Key, s => s.Value.Select(p => new GlobPattern(p)).ToArray(), StringComparer.Ordinal);
        DenyUnscopedAgents = denyUnscopedAgents;
    }

    /// <summary>Gets scopes that let every agent use every tool.</summary>
    public static AgentScopes Unrestricted { get; } = new(new Dictionary<string, IReadOnlyList<string>>(), false);

    /// <summary>Gets whether an agent without a scope (or a call naming no agent) is denied every tool.</summary>
    public bool DenyUnscopedAgents { get; }

    /// <summary>Gets whether any agent has a scope, or unscoped agents are denied.</summary>
    public bool IsConfigured => _scopes.Count > 0 || DenyUnscopedAgents;

    /// <summary>Gets the agents that have a scope.</summary>
    public IReadOnlyCollection<string> Agents => _scopes.Keys;

    /// <summary>Whether <paramref name="agentId"/> may use <paramref name="toolName"/>.</summary>
    /// <param name="agentId">The agent, or <see langword="null"/> for a call that names none.</param>
    /// <param name="toolName">The tool.</param>
    /// <returns><see langword="true"/> when the agent has no scope (and unscoped agents are allowed) or the tool matches one of its patterns.</returns>
    public bool IsInScope(string? agentId, string toolName)
    {
        ArgumentNullException.ThrowIfNull(toolName);
        if (agentId is null || !_scopes.TryGetValue(agentId, out var patterns))
        {
            return !DenyUnscopedAgents;
        }

        foreach (var pattern in patterns)
        {
            if (pattern.IsMatch(toolName))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Gets the tool patterns of an agent's scope.</summary>
    /// <param name="agentId">The agent.</param>
    /// <returns>The patterns, or <see langword="null"/> when the agent has no scope.</returns>
    public IReadOnlyList<string>? GetScope(string? agentId) =>
        agentId is not null && _scopes.TryGetValue(agentId, out var patterns) ? [.. patterns.Select(p => p.Pattern)] : null;
}
