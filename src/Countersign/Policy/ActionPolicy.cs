using Countersign.Redaction;

namespace Countersign.Policy;

/// <summary>
/// An ordered set of rules that decides, for each proposed call, whether it runs, is denied, or needs a human.
/// A policy is immutable once built; create one with <see cref="PolicyBuilder"/> or <see cref="PolicyLoader"/>, and
/// evaluate it with a <see cref="PolicyEvaluator"/>.
/// </summary>
public sealed class ActionPolicy
{
    internal ActionPolicy(
        string name,
        IReadOnlyList<PolicyRule> rules,
        PolicyEffect defaultEffect,
        TimeSpan? defaultTimeout,
        IReadOnlyList<ArgumentPath> redactPaths,
        IReadOnlyDictionary<string, IReadOnlyList<string>>? scopes = null)
    {
        Scopes = scopes ?? System.Collections.ObjectModel.ReadOnlyDictionary<string, IReadOnlyList<string>>.Empty;
        Name = name;
        Rules = rules;
        DefaultEffect = defaultEffect;
        DefaultTimeout = defaultTimeout;
        ParsedRedactPaths = redactPaths;
        RedactPaths = Array.AsReadOnly(redactPaths.Select(static p => p.Text).ToArray());
    }

    /// <summary>Gets a policy without rules whose default lets every call run. For development and tests.</summary>
    public static ActionPolicy AllowAll { get; } = new("allow-all", [], PolicyEffect.Allow, null, []);

    /// <summary>Gets a policy without rules whose default holds every call for approval: the safe default.</summary>
    public static ActionPolicy RequireApprovalForAll { get; } = new("require-approval-for-all", [], PolicyEffect.RequireApproval, null, []);

    /// <summary>Gets the policy's name: the one it was given, or the file it was loaded from.</summary>
    public string Name { get; }

    /// <summary>Gets the rules, in order.</summary>
    public IReadOnlyList<PolicyRule> Rules { get; }

    /// <summary>Gets the verdict for a call that no rule applies to. Defaults to <see cref="PolicyEffect.RequireApproval"/>.</summary>
    public PolicyEffect DefaultEffect { get; }

    /// <summary>Gets how long reviewers have when no applicable rule sets a timeout; <see langword="null"/> leaves it to the gate.</summary>
    public TimeSpan? DefaultTimeout { get; }

    /// <summary>Gets argument paths masked in every decision, whatever rules apply.</summary>
    public IReadOnlyList<string> RedactPaths { get; }

    /// <summary>Gets the tools each agent may use (exact names and globs), from the policy's <c>scopes:</c> section; empty when it has none.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Scopes { get; }

    internal IReadOnlyList<ArgumentPath> ParsedRedactPaths { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({Rules.Count} rules, default {DefaultEffect})";
}
