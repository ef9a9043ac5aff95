namespace Countersign.Client;

/// <summary>Options of the remote client: where the server is, the app's credentials, and what to do when it cannot be reached.</summary>
public sealed class CountersignClientOptions
{
    /// <summary>The environment variable holding the server's base URL.</summary>
    public const string UrlVariable = "COUNTERSIGN_URL";

    /// <summary>The environment variable holding the app id.</summary>
    public const string AppIdVariable = "COUNTERSIGN_APP_ID";

    /// <summary>The environment variable holding the app's secret.</summary>
    public const string SecretVariable = "COUNTERSIGN_SECRET";

    /// <summary>Gets or sets the server's base URL, for example <c>https://countersign.example.com/</c>.</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>Gets or sets the app id the server issued.</summary>
    public string? AppId { get; set; }

    /// <summary>Gets or sets the app's secret, shown once when the app was registered.</summary>
    public string? Secret { get; set; }

    /// <summary>
    /// Gets or sets what happens when the server cannot be reached: <see cref="EnforcementMode.Enforce"/> (the default)
    /// denies the call (fails closed); <see cref="EnforcementMode.Shadow"/> runs it and logs a warning.
    /// </summary>
    public EnforcementMode WhenUnreachable { get; set; } = EnforcementMode.Enforce;

    /// <summary>Gets or sets how long one long-poll for a decision lasts. Default 20 seconds.</summary>
    public TimeSpan LongPollWait { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Gets or sets the pause before a wait reconnects to a server it lost. Default 1 second.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Gets or sets a callback run when a call starts waiting for reviewers, with the approval id (to show a link or log it).
    /// Its exception is logged and never changes the decision.
    /// </summary>
    public Func<string, ValueTask>? OnWaiting { get; set; }

    /// <summary>Fills unset values from <c>COUNTERSIGN_URL</c>, <c>COUNTERSIGN_APP_ID</c> and <c>COUNTERSIGN_SECRET</c>.</summary>
    /// <param name="getVariable">Reads a variable; <see cref="Environment.GetEnvironmentVariable(string)"/> when <see langword="null"/>.</param>
    /// <returns>These options.</returns>
    public CountersignClientOptions ReadEnvironment(Func<string, string?>? getVariable = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        if (BaseAddress is null && getVariable(UrlVariable) is { Length: > 0 } url)
        {
            BaseAddress = Uri.TryCreate(url, UriKind.Absolute, out var uri)
                ? uri
                : throw new ArgumentException($"{UrlVariable} is not an absolute URL.", nameof(getVariable));
        }

        AppId ??= getVariable(AppIdVariable);
        Secret ??= getVariable(SecretVariable);
        return this;
    }

    internal void Validate()
    {
        if (BaseAddress is null || !BaseAddress.IsAbsoluteUri)
        {
            throw new ArgumentException($"Set the server's absolute BaseAddress (or {UrlVariable}).");
        }

        if (string.IsNullOrWhiteSpace(AppId) || string.IsNullOrWhiteSpace(Secret))
        {
            throw new ArgumentException($"Set AppId and Secret (or {AppIdVariable} and {SecretVariable}).");
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(LongPollWait, TimeSpan.Zero, nameof(LongPollWait));
        ArgumentOutOfRangeException.ThrowIfLessThan(ReconnectDelay, TimeSpan.Zero, nameof(ReconnectDelay));
    }
}
