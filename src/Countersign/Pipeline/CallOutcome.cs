namespace Countersign.Pipeline;

/// <summary>How an authorised call ended: its result, or its error. A remote caller reports one after running the call.</summary>
public sealed class CallOutcome
{
    private CallOutcome(bool succeeded, object? result, string? error, Exception? exception)
    {
        Succeeded = succeeded;
        Result = result;
        Error = error;
        Exception = exception;
    }

    /// <summary>Gets whether the call returned normally.</summary>
    public bool Succeeded { get; }

    /// <summary>Gets the call's result when it succeeded (a value, or a <see cref="System.Text.Json.JsonElement"/> from a remote caller).</summary>
    public object? Result { get; }

    /// <summary>Gets a description of the error when it failed.</summary>
    public string? Error { get; }

    /// <summary>Gets the exception when the call failed in this process.</summary>
    public Exception? Exception { get; }

    /// <summary>Describes a call that returned <paramref name="result"/>.</summary>
    /// <param name="result">The result, recorded (redacted) when results are audited.</param>
    /// <returns>The outcome.</returns>
    public static CallOutcome Success(object? result) => new(true, result, null, null);

    /// <summary>Describes a call that threw <paramref name="exception"/>.</summary>
    /// <param name="exception">The exception.</param>
    /// <returns>The outcome.</returns>
    public static CallOutcome Failure(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return new(false, null, $"{exception.GetType().Name}: {exception.Message}", exception);
    }

    /// <summary>Describes a call that failed elsewhere with <paramref name="error"/>.</summary>
    /// <param name="error">What went wrong.</param>
    /// <returns>The outcome.</returns>
    public static CallOutcome Failure(string error)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(error);
        return new(false, null, error, null);
    }
}
