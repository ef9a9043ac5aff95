namespace Countersign;

/// <summary>
/// Guards any delegate with one line: <c>var refund = gate.Guard("refund", RefundAsync);</c>. The returned delegate has
/// the same parameters and return type; each call is described (arguments captured by parameter name, or built by
/// <c>payload</c>), judged by the gate and run at most once. A <see cref="CancellationToken"/> parameter is left out
/// of the payload: it cancels the wait for reviewers and flows into the call. The tool name is always explicit, as it
/// is what the policy matches: <c>gate.Guard(nameof(Refund), Refund)</c>.
/// </summary>
public static class ActionGateGuardExtensions
{
    /// <summary>Wraps <paramref name="function"/> so every call goes through the gate first.</summary>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="gate">The gate.</param>
    /// <param name="toolName">The tool name the policy matches.</param>
    /// <param name="function">The call to guard.</param>
    /// <param name="payload">Builds the payload from the arguments; without it the arguments are captured by parameter name.</param>
    /// <param name="options">How the calls are described.</param>
    /// <returns>A delegate of the same type that asks the gate before each call.</returns>
    public static Func<TResult> Guard<TResult>(this ActionGate gate, string toolName, Func<TResult> function, Func<object?>? payload = null, GuardOptions? options = null)
    {
        var guard = GuardedDelegate.Create(gate, toolName, function, options, typeof(TResult));
        return () => guard.Run<TResult>([], () => function(), payload is null ? null : () => payload());
    }

    /// <summary>Wraps <paramref name="function"/> so every call goes through the gate first.</summary>
    /// <param name="gate">The gate.</param>
    /// <param name="toolName">The tool name the policy matches.</param>
    /// <param name="function">The call to guard.</param>
    /// <param name="payload">Builds the payload from the arguments; without it the arguments are captured by parameter name.</param>
    /// <param name="options">How the calls are described.</param>
    /// <returns>A delegate of the same type that asks the gate before each call.</returns>
    public static Action Guard(this ActionGate gate, string toolName, Action function, Func<object?>? payload = null, GuardOptions? options = null)
    {
        var guard = GuardedDelegate.Create(gate, toolName, function, options, typeof(void));
        return () => guard.Run<bool>([], () => { function(); return true; }, payload is null ? null : () => payload());
    }

    /// <summary>Wraps <paramref name="function"/> so every call goes through the gate first.</summary>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="gate">The gate.</param>
    /// <param name="toolName">The tool name the policy matches.</param>
    /// <param name="function">The call to guard.</param>
    /// <param name="payload">Builds the payload from the arguments; without it the arguments are captured by parameter name.</param>
    /// <param name="options">How the calls are described.</param>
    /// <returns>A delegate of the same type that asks the gate before each call.</returns>
    public static Func<Task<TResult>> Guard<TResult>(this ActionGate gate, string toolName, Func<Task<TResult>> function, Func<object?>? payload = null, GuardOptions? options = null)
    {
        var guard = GuardedDelegate.Create(gate, toolName, function, options, typeof(TResult));
        return async () => await guard.RunAsync<TResult>([], ct => new ValueTask<TResult>(function()), payload is null ? null : () => payload());
    }

    /// <summary>Wraps <paramref name="function"/> so every call goes through the gate first.</summary>
    /// <param name="gate">The gate.</param>
    /// <param name="toolName">The tool name the policy matches.</param>
    /// <param name="function">The call to guard.</param>
    /// <param name="payload">Builds the payload from the arguments; without it the arguments are captured by parameter name.</param>
    /// <param name="options">How the calls are described.</param>
    /// <returns>A delegate of the same type that asks the gate before each call.</returns>
    public static Func<Task> Guard(this ActionGate gate, string toolName, Func<Task> function, Func<object?>? payload = null, GuardOptions? options = null)
    {
        var guard = GuardedDelegate.Create(gate, toolName, function, options, typeof(void));
        return async () => await guard.RunAsync<bool>([], async ct => { await function(); return true; }, payload is null ? null : () => payload());
    }

    /// <summary>Wraps <paramref name="function"/> so every call goes through the gate first.</summary>
    /// <typeparam name="T1">A parameter type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="gate">The gate.</param>
    /// <param name="toolName">The tool name the policy matches.</param>
    /// <param name="function">The call to guard.</param>
    /// <param name="payload">Builds the payload from the arguments; without it the arguments are captured by parameter name.</param>
    /// <param name="options">How the calls are described.</param>
    /// <returns>A delegate of the same type that asks the gate before each call.</returns>
    public static Func<T1, TResult> Guard<T1, TResult>(this ActionGate gate, string toolName, Func<T1, TResult> function, Func<T1, object?>? payload = null, GuardOptions? options = null)
    {
        var guard = GuardedDelegate.Create(gate, toolName, function, options, typeof(TResult));
        return (a1) => guard.Run<TResult>([a1], () => function(a1), payload is null ? null : () => payload(a1));
    }

    /// <summary>Wraps <paramref name="function"/> so every call goes through the gate first.</summary>
    /// <typeparam name="T1">A parameter type.</typeparam>
    /// <param name="gate">The gate.</param>
    /// <param name="toolName">The tool name the policy matches.</param>
    /// <param name="function">The call to guard.</param>
    /// <param name="payload">Builds the payload from the arguments; without it the arguments are captured by parameter name.</param>
    /// <param name="options">How the calls are described.</param>
    /// <returns>A delegate of the same type that asks the gate before each call.</returns>
    public static Action<T1> Guard<T1>(this ActionGate gate, string toolName, Action<T1> function, Func<T1, object?>? payload = null, GuardOptions? options = null)
    {
        var guard = GuardedDelegate.Create(gate, toolName, function, options, typeof(void));
        return (a1) => guard.Run<bool>([a1], () => { function(a1); return true; }, payload is null ? null : () => payload(a1));
    }

    /// <summary>Wraps <paramref name="function"/> so every call goes through the gate first.</summary>
    /// <typeparam name="T1">A parameter type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="gate">The gate.</param>
    /// <param name="toolName">The tool name the policy matches.</param>
    /// <param name="function">The call to guard.</param>
    /// <param name="payload">Builds the payload from the arguments; without it the arguments are captured by parameter name.</param>
    /// <param name="options">How the calls are described.</param>
    /// <returns>A delegate of the same type that asks the gate before each call.</returns>
    public static Func<T1, Task<TResult>> Guard<T1, TResult>(this ActionGate gate, string toolName, Func<T1, Task<TResult>> function, Func<T1, object?>? payload = null, GuardOptions? options = null)
    {
        var guard = GuardedDelegate.Create(gate, toolName, function, options, typeof(TResult));
        return async (a1) => await guard.RunAsync<TResult>([a1], ct => new ValueTask<TResult>(function(a1)), payload is null ? null : () => payload(a1));
    }

    /// <summary>Wraps <paramref name="function"/> so every call goes through the gate first.</summary>
    /// <typeparam name="T1">A parameter type.</typeparam>
    /// <param name="gate">The gate.</param>
    /// <param name="toolName">The tool name the policy matches.</param>
    /// <param name="function">The call to guard.</param>
    /// <param name="payload">Builds the payload from the arguments; without it the arguments are captured by parameter name.</param>
    /// <param name="options">How the calls are described.</param>
    /// <returns>A delegate of the same type that asks the gate before each call.</returns>
    public static Func<T1, Task> Guard<T1>(this ActionGate gate, string toolName, Func<T1, Task> function, Func<T1, object?>? payload = null, GuardOptions? options = null)
    {
        var guard = GuardedDelegate.Create(gate, toolName, function, options, typeof(void));
        return async (a1) => await guard.RunAsync<bool>([a1], async ct => { await function(a1); return true; }, payload is null ? null : () => payload(a1));
    }

    /// <summary>Wraps <paramref name="function"/> so every call goes through the gate first.</summary>
    /// <typeparam name="T1">A parameter type.</typeparam>
    /// <typeparam name="T2">A parameter type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="gate">The gate.</param>
    /// <param name="toolName">The tool name the policy matches.</param>
    /// <param name="function">The call to guard.</param>
    /// <param name="payload">Builds the payload from the arguments; without it the arguments are captured by parameter name.</param>
    /// <param name="options">How the calls are described.</param>
    /// <returns>A delegate of the same type that asks the gate before each call.</returns>
    public static Func<T1, T2, TResult> Guard<T1, T2, TResult>(this ActionGate gate, string toolName, Func<T1, T2, TResult> function, Func<T1, T2, object?>? payload = null, GuardOptions? options = null)
    {
        var guard = GuardedDelegate.Create(gate, toolName, function, options, typeof(TResult));
        return (a1, a2) => guard.Run<TResult>([a1, a2], () => function(a1, a2), payload is null ? null : () => payload(a1, a2));
    }

    /// <summary>Wraps <paramref name="function"/> so every call goes through the gate first.</summary>
    /// <typeparam name="T1">A parameter type.</typeparam>
    /// <typeparam name="T2">A parameter type.</typeparam>
    /// <param name="gate">The gate.</param>
    /// <param name="toolName">The tool name the policy matches.</param>
    /// <param name="function">The call to guard.</param>
    /// <param name="payload">Builds the payload from the arguments; without it the arguments are captured by parameter name.</param>
    /// <param name="options">How the calls are described.</param>
    /// <returns>A delegate of the same type that asks the gate before each call.</returns>
    public static Action<T1, T2> Guard<T1, T2>(this ActionGate gate, string toolName, Action<T1, T2> function, Func<T1, T2, object?>? payload = null, GuardOptions? options = null)
    {
        var guard = GuardedDelegate.Create(gate, toolName, function, options, typeof(void));
        return (a1, a2) => guard.Run<bool>([a1, a2], () => { function(a1, a2); return true; }, payload is null ? null : () => payload(a1, a2));
    }

    /// <summary>Wraps <paramref name="function"/> so every call goes through the gate first.</summary>
    /// <typeparam name="T1">A parameter type.</typeparam>
    /// <typeparam name="T2">A parameter type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="gate">The gate.</param>
    /// <param name="toolName">The tool name the policy matches.</param>
    /// <param name="function">The call to guard.</param>
    /// <param name="payload">Builds the payload from the arguments; without it the arguments are captured by parameter name.</param>
    /// <param name="options">How the calls are described.</param>
    /// <returns>A delegate of the same type that asks the gate before each call.</returns>
    public static Func<T1, T2, Task<TResult>> Guard<T1, T2, TResult>(this ActionGate gate, string toolName, Func<T1, T2, Task<TResult>> function, Func<T1, T2, object?>? payload = null, GuardOptions? options = null)
    {
        var guard = GuardedDelegate.Create(gate, toolName, function, options, typeof(TResult));
        return async (a1, a2) => await guard.RunAsync<TResult>([a1, a2], ct => new ValueTask<TResult>(function(a1, a2)), payload is null ? null : () => payload(a1, a2));
    }

    /// <summary>Wraps <paramref name="function"/> so every call goes through the gate first.</summary>
    /// <typeparam name="T1">A parameter type.</typeparam>
    /// <typeparam name="T2">A parameter type.</typeparam>
    /// <param name="gate">The gate.</param>
    /// <param name="toolName">The tool name the policy matches.</param>
    /// <param name="function">The call to guard.</param>
    /// <param name="payload">Builds the payload from the arguments; without it the arguments are captured by parameter name.</param>
    /// <param name="options">How the calls are described.</param>
    /// <returns>A delegate of the same type that asks the gate before each call.</returns>
    public static Func<T1, T2, Task> Guard<T1, T2>(this ActionGate gate, string toolName, Func<T1, T2, Task> function, Func<T1, T2, object?>? payload = null, GuardOptions? options = null)
    {
        var guard = GuardedDelegate.Create(gate, toolName, function, options, typeof(void));
        return async (a1, a2) => await guard.RunAsync<bool>([a1, a2], async ct => { await function(a1, a2); return true; }, payload is null ? null : () => payload(a1, a2));
    }

    /// <summary>Wraps <paramref name="function"/> so every call goes through the gate first.</summary>
    /// <typeparam name="T1">A parameter type.</typeparam>
    /// <typeparam name="T2">A parameter type.</typeparam>
    /// <typeparam name="T3">A parameter type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="gate">The gate.</param>
    /// <param name="toolName">The tool name the policy matches.</param>
    /// <param name="function">The call to guard.</param>
    /// <param name="payload">Builds the payload from the arguments; without it the arguments are captured by parameter name.</param>
    /// <param name="options">How the calls are described.</param>
    /// <returns>A delegate of the same type that asks the gate before each call.</returns>
    public static Func<T1, T2, T3, TResult> Guard<T1, T2, T3, TResult>(this ActionGate gate, string toolName, Func<T1, T2, T3, TResult> function, Func<T1, T2, T3, object?>? payload = null, GuardOptions? options = null)
    {
        var guard = GuardedDelegate.Create(gate, toolName, function, options, typeof(TResult));
        return (a1, a2, a3) => guard.Run<TResult>([a1, a2, a3], () => function(a1, a2, a3), payload is null ? null : () => payload(a1, a2, a3));
    }

    /// <summary>Wraps <paramref name="function"/> so every call goes through the gate first.</summary>
    /// <typeparam name="T1">A parameter type.</typeparam>
    /// <typeparam name="T2">A parameter type.</typeparam>
    /// <typeparam name="T3">A parameter type.</typeparam>
    /// <param name="gate">The gate.</param>
    /// <param name="toolName">The tool name the policy matches.</param>
    /// <param name="function">The call to guard.</param>
    /// <param name="payload">Builds the payload from the arguments; without it the arguments are captured by parameter name.</param>
    /// <param name="options">How the calls are described.</param>
    /// <returns>A delegate of the same type that asks the gate before each call.</returns>
    public static Action<T1, T2, T3> Guard<T1, T2, T3>(this ActionGate gate, string toolName, Action<T1, T2, T3> function, Func<T1, T2, T3, object?>? payload = null, GuardOptions? options = null)
    {
        var guard = GuardedDelegate.Create(gate, toolName, function, options, typeof(void));
        return (a1, a2, a3) => guard.Run<bool>([a1, a2, a3], () => { function(a1, a2, a3); return true; }, payload is null ? null : () => payload(a1, a2, a3));
    }

    /// <summary>Wraps <paramref name="function"/> so every call goes through the gate first.</summary>
    /// <typeparam name="T1">A parameter type.</typeparam>
    /// <typeparam name="T2">A parameter type.</typeparam>
    /// <typeparam name="T3">A parameter type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="gate">The gate.</param>
    /// <param name="toolName">The tool name the policy matches.</param>
    /// <param name="function">The call to guard.</param>
    /// <param name="payload">Builds the payload from the arguments; without it the arguments are captured by parameter name.</param>
    /// <param name="options">How the calls are described.</param>
    /// <returns>A delegate of the same type that asks the gate before each call.</returns>
    public static Func<T1, T2, T3, Task<TResult>> Guard<T1, T2, T3, TResult>(this ActionGate gate, string toolName, Func<T1, T2, T3, Task<TResult>> function, Func<T1, T2, T3, object?>? payload = null, GuardOptions? options = null)
    {
        var guard = GuardedDelegate.Create(gate, toolName, function, options, typeof(TResult));
        return async (a1, a2, a3) => await guard.RunAsync<TResult>([a1, a2, a3], ct => new ValueTask<TResult>(function(a1, a2, a3)), payload is null ? null : () => payload(a1, a2, a3));
    }

    /// <summary>Wraps <paramref name="function"/> so every call goes through the gate first.</summary>
    /// <typeparam name="T1">A parameter type.</typeparam>
    /// <typeparam name="T2">A parameter type.</typeparam>
    /// <typeparam name="T3">A parameter type.</typeparam>
    /// <param name="gate">The gate.</param>
    /// <param name="toolName">The tool name the policy matches.</param>
    /// <param name="function">The call to guard.</param>
    /// <param name="payload">Builds the payload from the arguments; without it the arguments are captured by parameter name.</param>
    /// <param name="options">How the calls are described.</param>
    /// <returns>A delegate of the same type that asks the gate before each call.</returns>
    public static Func<T1, T2, T3, Task> Guard<T1, T2, T3>(this ActionGate gate, string toolName, Func<T1, T2, T3, Task> function, Func<T1, T2, T3, object?>? payload = null, GuardOptions? options = null)
    {
        var guard = GuardedDelegate.Create(gate, toolName, function, options, typeof(void));
        return async (a1, a2, a3) => await guard.RunAsync<bool>([a1, a2, a3], async ct => { await function(a1, a2, a3); return true; }, payload is null ? null : () => payload(a1, a2, a3));
    }

    /// <summary>Wraps <paramref name="function"/> so every call goes through the gate first.</summary>
    /// <typeparam name="T1">A parameter type.</typeparam>
    /// <typeparam name="T2">A parameter type.</typeparam>
    /// <typeparam name="T3">A parameter type.</typeparam>
    /// <typeparam name="T4">A parameter type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="gate">The gate.</param>
    /// <param name="toolName">The tool name the policy matches.</param>
    /// <param name="function">The call to guard.</param>
    /// <param name="payload">Builds the payload from the arguments; without it the arguments are captured by parameter name.</param>
    /// <param name="options">How the calls are described.</param>
    /// <returns>A delegate of the same type that asks the gate before each call.</returns>
    public static Func<T1, T2, T3, T4, TResult> Guard<T1, T2, T3, T4, TResult>(this ActionGate gate, string toolName, Func<T1, T2, T3, T4, TResult> function, Func<T1, T2, T3, T4, object?>? payload = null, GuardOptions? options = null)
    {
        var guard = GuardedDelegate.Create(gate, toolName, function, options, typeof(TResult));
        return (a1, a2, a3, a4) => guard.Run<TResult>([a1, a2, a3, a4], () => function(a1, a2, a3, a4), payload is null ? null : () => payload(a1, a2, a3, a4));
    }

    /// <summary>Wraps <paramref name="function"/> so every call goes through the gate first.</summary>
    /// <typeparam name="T1">A parameter type.</typeparam>
    /// <typeparam name="T2">A parameter type.</typeparam>
    /// <typeparam name="T3">A parameter type.</typeparam>
    /// <typeparam name="T4">A parameter type.</typeparam>
    /// <param name="gate">The gate.</param>
    /// <param name="toolName">The tool name the policy matches.</param>
    /// <param name="function">The call to guard.</param>
    /// <param name="payload">Builds the payload from the arguments; without it the arguments are captured by parameter name.</param>
    /// <param name="options">How the calls are described.</param>
    /// <returns>A delegate of the same type that asks the gate before each call.</returns>
    public static Action<T1, T2, T3, T4> Guard<T1, T2, T3, T4>(this ActionGate gate, string toolName, Action<T1, T2, T3, T4> function, Func<T1, T2, T3, T4, object?>? payload = null, GuardOptions? options = null)
    {
        var guard = GuardedDelegate.Create(gate, toolName, function, options, typeof(void));
        return (a1, a2, a3, a4) => guard.Run<bool>([a1, a2, a3, a4], () => { function(a1, a2, a3, a4); return true; }, payload is null ? null : () => payload(a1, a2, a3, a4));
    }

    /// <summary>Wraps <paramref name="function"/> so every call goes through the gate first.</summary>
    /// <typeparam name="T1">A parameter type.</typeparam>
    /// <typeparam name="T2">A parameter type.</typeparam>
    /// <typeparam name="T3">A parameter type.</typeparam>
    /// <typeparam name="T4">A parameter type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="gate">The gate.</param>
    /// <param name="toolName">The tool name the policy matches.</param>
    /// <param name="function">The call to guard.</param>
    /// <param name="payload">Builds the payload from the arguments; without it the arguments are captured by parameter name.</param>
    /// <param name="options">How the calls are described.</param>
    /// <returns>A delegate of the same type that asks the gate before each call.</returns>
    public static Func<T1, T2, T3, T4, Task<TResult>> Guard<T1, T2, T3, T4, TResult>(this ActionGate gate, string toolName, Func<T1, T2, T3, T4, Task<TResult>> function, Func<T1, T2, T3, T4, object?>? payload = null, GuardOptions? options = null)
    {
        var guard = GuardedDelegate.Create(gate, toolName, function, options, typeof(TResult));
        return async (a1, a2, a3, a4) => await guard.RunAsync<TResult>([a1, a2, a3, a4], ct => new ValueTask<TResult>(function(a1, a2, a3, a4)), payload is null ? null : () => payload(a1, a2, a3, a4));
    }

    /// <summary>Wraps <paramref name="function"/> so every call goes through the gate first.</summary>
    /// <typeparam name="T1">A parameter type.</typeparam>
    /// <typeparam name="T2">A parameter type.</typeparam>
    /// <typeparam name="T3">A parameter type.</typeparam>
    /// <typeparam name="T4">A parameter type.</typeparam>
    /// <param name="gate">The gate.</param>
    /// <param name="toolName">The tool name the policy matches.</param>
    /// <param name="function">The call to guard.</param>
    /// <param name="payload">Builds the payload from the arguments; without it the arguments are captured by parameter name.</param>
    /// <param name="options">How the calls are described.</param>
    /// <returns>A delegate of the same type that asks the gate before each call.</returns>
    public static Func<T1, T2, T3, T4, Task> Guard<T1, T2, T3, T4>(this ActionGate gate, string toolName, Func<T1, T2, T3, T4, Task> function, Func<T1, T2, T3, T4, object?>? payload = null, GuardOptions? options = null)
    {
        var guard = GuardedDelegate.Create(gate, toolName, function, options, typeof(void));
        return async (a1, a2, a3, a4) => await guard.RunAsync<bool>([a1, a2, a3, a4], async ct => { await function(a1, a2, a3, a4); return true; }, payload is null ? null : () => payload(a1, a2, a3, a4));
    }
}
