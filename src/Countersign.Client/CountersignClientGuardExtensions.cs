namespace Countersign.Client;

/// <summary>
/// The gate's guard shapes on the remote client — <c>GuardedAsync</c> for a payload and a call, <c>Guard</c> to wrap an
/// async delegate — so code written against <see cref="ActionGate"/> switches by changing the object it calls.
/// </summary>
public static class CountersignClientGuardExtensions
{
    /// <summary>Runs <paramref name="function"/> if the server allows <paramref name="payload"/> for <paramref name="toolName"/>.</summary>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="client">The client.</param>
    /// <param name="toolName">The tool name the policy matches.</param>
    /// <param name="payload">The payload reviewers see and approvals are bound to.</param>
    /// <param name="function">The call.</param>
    /// <param name="options">How the call is described.</param>
    /// <param name="cancellationToken">Cancels waiting; passed to <paramref name="function"/>.</param>
    /// <returns>The call's result.</returns>
    /// <exception cref="ActionDeniedException">The call was denied, or the server could not be reached.</exception>
    /// <exception cref="ApprovalPendingException">The call needs approval and fail-closed was asked for.</exception>
    public static Task<TResult> GuardedAsync<TResult>(
        this CountersignClient client,
        string toolName,
        object? payload,
        Func<CancellationToken, Task<TResult>> function,
        GuardOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(function);
        options ??= new GuardOptions();
        return client.ExecuteAsync(
            options.Describe(toolName, ActionArguments.From(payload)),
            async ct => await function(ct).ConfigureAwait(false),
            options.CallOptions,
            cancellationToken);
    }

    /// <summary>Runs <paramref name="function"/> if the server allows <paramref name="payload"/> for <paramref name="toolName"/>.</summary>
    /// <param name="client">The client.</param>
    /// <param name="toolName">The tool name the policy matches.</param>
    /// <param name="payload">The payload reviewers see and approvals are bound to.</param>
    /// <param name="function">The call.</param>
    /// <param name="options">How the call is described.</param>
    /// <param name="cancellationToken">Cancels waiting; passed to <paramref name="function"/>.</param>
    /// <returns>A task that completes when the call has run.</returns>
    /// <exception cref="ActionDeniedException">The call was denied, or the server could not be reached.</exception>
    /// <exception cref="ApprovalPendingException">The call needs approval and fail-closed was asked for.</exception>
    public static Task GuardedAsync(
        this CountersignClient client,
        string toolName,
        object? payload,
        Func<CancellationToken, Task> function,
        GuardOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(function);
        options ??= new GuardOptions();
        return client.ExecuteAsync(
            options.Describe(toolName, ActionArguments.From(payload)),
            async ct => await function(ct).ConfigureAwait(false),
            options.CallOptions,
            cancellationToken);
    }

    /// <summary>Wraps an async function so each call is judged by the server first; its arguments are the payload.</summary>
    /// <typeparam name="T1">The argument type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="client">The client.</param>
    /// <param name="toolName">The tool name the policy matches.</param>
    /// <param name="function">The function.</param>
    /// <param name="payload">Builds the payload from the argument; <c>{ "arg1": value }</c> when <see langword="null"/>.</param>
    /// <param name="options">How calls are described.</param>
    /// <returns>The guarded function.</returns>
    public static Func<T1, Task<TResult>> Guard<T1, TResult>(this CountersignClient client, string toolName, Func<T1, Task<TResult>> function, Func<T1, object?>? payload = null, GuardOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(function);
        return arg1 => client.GuardedAsync(toolName, payload is null ? new Dictionary<string, object?> { ["arg1"] = arg1 } : payload(arg1), _ => function(arg1), options);
    }

    /// <summary>Wraps an async function so each call is judged by the server first.</summary>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="client">The client.</param>
    /// <param name="toolName">The tool name the policy matches.</param>
    /// <param name="function">The function.</param>
    /// <param name="payload">Builds the payload; an empty object when <see langword="null"/>.</param>
    /// <param name="options">How calls are described.</param>
    /// <returns>The guarded function.</returns>
    public static Func<Task<TResult>> Guard<TResult>(this CountersignClient client, string toolName, Func<Task<TResult>> function, Func<object?>? payload = null, GuardOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(function);
        return () => client.GuardedAsync(toolName, payload?.Invoke(), _ => function(), options);
    }
}
