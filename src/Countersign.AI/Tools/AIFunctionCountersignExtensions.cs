using Microsoft.Extensions.AI;

namespace Countersign.AI;

/// <summary>Guards Microsoft.Extensions.AI tools with a gate in one line.</summary>
public static class AIFunctionCountersignExtensions
{
    /// <summary>Returns <paramref name="function"/> guarded by <paramref name="gate"/>: same name, description and schema, every call judged first.</summary>
    /// <param name="function">The function.</param>
    /// <param name="gate">The gate.</param>
    /// <param name="options">How calls are described; <see langword="null"/> for the defaults.</param>
    /// <returns>The guarded function; a function guarded already is returned as it is.</returns>
    public static AIFunction WithCountersign(this AIFunction function, ActionGate gate, CountersignToolOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        return function.GetService<GuardedAIFunction>() is not null ? function : new GuardedAIFunction(function, gate, options);
    }

    /// <summary>
    /// Returns <paramref name="tools"/> with every <see cref="AIFunction"/> guarded by <paramref name="gate"/>. Tools the
    /// application does not invoke itself (declarations, hosted tools) are kept as they are.
    /// </summary>
    /// <param name="tools">The tools.</param>
    /// <param name="gate">The gate.</param>
    /// <param name="options">How calls are described; <see langword="null"/> for the defaults.</param>
    /// <returns>A new list, in the same order.</returns>
    public static IList<AITool> WithCountersign(this IEnumerable<AITool> tools, ActionGate gate, CountersignToolOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(tools);
        ArgumentNullException.ThrowIfNull(gate);
        return [.. tools.Select(tool => tool is AIFunction function ? function.WithCountersign(gate, options) : tool)];
    }
}
