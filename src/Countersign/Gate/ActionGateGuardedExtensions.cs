namespace Countersign;

/// <summary>
/// The imperative form, for bolting the gate onto existing code: <c>gate.Guarded("email_send", new { to, subject }, () => mailer.Send(...))</c>
/// judges the payload, then runs the call at most once.
/// </summary>
public static class ActionGateGuardedExtensions
{
    /// <summary>Runs <paramref name="function"/> if the gate allows <paramref name="payload"/> for <paramref name="toolName"/>.</summary>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="gate">The gate.</param>
    /// <param name="toolName">The tool name the policy matches.</param>
    /// <param name="payload">The payload reviewers see and approvals are bound to.</param>
    /// <param name="function">The call.</param>
    /// <param name="options">How the call is described.</param>
    /// <returns>The call's result.</returns>
    /// <exception cref="ActionDeniedException">The call was denied.</exception>
    /// <exception cref="ApprovalPendingException">The call needs approval and the fail-closed behaviour is in force.</exception>
    public static TResult Guarded<TResult>(this ActionGate gate, string toolName, object? payload, Func<TResult> function, GuardOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(gate);
        options ??= new GuardOptions();
        return gate.Execute(options.Describe(toolName, ActionArguments.From(payload)), function, options.CallOptions);
    }

    /// <summary>Runs <paramref name="function"/> if the gate allows <paramref name="payload"/> for <paramref name="toolName"/>.</summary>
    /// <param name="gate">The gate.</param>
    /// <param name="toolName">The tool name the policy matches.</param>
    /// <param name="payload">The payload reviewers see and approvals are bound to.</param>
    /// <param name="function">The call.</param>
    /// <param name="options">How the call is described.</param>
    /// <exception cref="ActionDeniedException">The call was denied.</exception>
    /// <exception cref="ApprovalPendingException">The call needs approval and the fail-closed behaviour is in force.</exception>
    public static void Guarded(this ActionGate gate, string toolName, object? payload, Action function, GuardOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(gate);
        options ??= new GuardOptions();
        gate.Execute(options.Describe(toolName, ActionArguments.From(payload)), function, options.CallOptions);
    }

    /// <summary>Runs <paramref name="function"/> if the gate allows <paramref name="payload"/> for <paramref name="toolName"/>.</summary>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="gate">The gate.</param>
    /// <param name="toolName">The tool name the policy matches.</param>
    /// <param name="payload">The payload reviewers see and approvals are bound to.</param>
    /// <param name="function">The call.</param>
    /// <param name="options">How the call is described.</param>
    /// <param name="cancellationToken">Cancels waiting; passed to <paramref name="function"/>.</param>
    /// <returns>The call's result.</returns>
    /// <exception cref="ActionDeniedException">The call was denied.</exception>
    /// <exception cref="ApprovalPendingException">The call needs approval and the fail-closed behaviour is in force.</exception>
    public static Task<TResult> GuardedAsync<TResult>(
        this ActionGate gate,
        string toolName,
        object? payload,
        Func<CancellationToken, Task<TResult>> function,
        GuardOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(function);
        options ??= new GuardOptions();
        return gate.ExecuteAsync(
            options.Describe(toolName, ActionArguments.From(payload)),
            async ct => await function(ct),
            options.CallOptions,
            cancellationToken);
    }

    /// <summary>Runs <paramref name="function"/> if the gate allows <paramref name="payload"/> for <paramref name="toolName"/>.</summary>
    /// <param name="gate">The gate.</param>
    /// <param name="toolName">The tool name the policy matches.</param>
    /// <param name="payload">The payload reviewers see and approvals are bound to.</param>
    /// <param name="function">The call.</param>
    /// <param name="options">How the call is described.</param>
    /// <param name="cancellationToken">Cancels waiting; passed to <paramref name="function"/>.</param>
    /// <returns>A task that completes when the call has run.</returns>
    /// <exception cref="ActionDeniedException">The call was denied.</exception>
    /// <exception cref="ApprovalPendingException">The call needs approval and the fail-closed behaviour is in force.</exception>
    public static Task GuardedAsync(
        this ActionGate gate,
        string toolName,
        object? payload,
        Func<CancellationToken, Task> function,
        GuardOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(function);
        options ??= new GuardOptions();
        return gate.ExecuteAsync(
            options.Describe(toolName, ActionArguments.From(payload)),
            async ct => await function(ct),
            options.CallOptions,
            cancellationToken);
    }
}
