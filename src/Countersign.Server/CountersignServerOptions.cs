namespace Countersign.Server;

/// <summary>Options of the Countersign server: the REST API and the reviewer web UI.</summary>
public sealed class CountersignServerOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string ConfigurationSection = "Countersign:Server";

    /// <summary>
    /// Gets the authentication schemes that sign human users in for the web UI and the API's reviewer endpoints.
    /// Defaults to Countersign's own cookie sign-in (<see cref="CountersignAuthentication.CookieScheme"/>); add your
    /// app's scheme (OpenID Connect, a JWT bearer, ...) to let its users in, with roles as
    /// <see cref="System.Security.Claims.ClaimTypes.Role"/> claims named as in <see cref="CountersignRoles"/>.
    /// </summary>
    public IList<string> UserAuthenticationSchemes { get; } = [CountersignAuthentication.CookieScheme];

    /// <summary>Gets or sets the SQLite file that holds registered apps (remote agents) and their secret hashes.</summary>
    public string AppsDatabasePath { get; set; } = "countersign-apps.db";

    /// <summary>Gets or sets the largest request body the API reads; larger bodies get 413. Default 1 MiB.</summary>
    public int MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Gets or sets how far a signed request's timestamp may be from the server's clock. Default 5 minutes.</summary>
    public TimeSpan SignatureWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets the longest a long-poll wait for an approval is held open. Default 30 seconds.</summary>
    public TimeSpan MaxLongPollWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how long the server keeps an allowed call open for its outcome report. Default 1 hour.</summary>
    public TimeSpan OutcomeReportWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Gets or sets how long the answer to an idempotency key is replayed. Default 15 minutes.</summary>
    public TimeSpan IdempotencyRetention { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Gets or sets the longest agent- or reviewer-supplied text field (ids, names, comments). Default 2,000 characters.</summary>
    public int MaxTextLength { get; set; } = 2000;

    /// <summary>
    /// Gets or sets the SQLite file the web UI's users are kept in, when no other <see cref="Accounts.IUserStore"/> is
    /// registered. It may be the gate's own database file. Defaults to <c>countersign-users.db</c>.
    /// </summary>
    public string UsersDatabasePath { get; set; } = "countersign-users.db";

    /// <summary>
    /// Gets or sets how many sign-in attempts one IP address may make in <see cref="LoginWindow"/>; further attempts
    /// get 429 Too Many Requests. Defaults to 5.
    /// </summary>
    public int LoginAttemptsPerWindow { get; set; } = 5;

    /// <summary>Gets or sets the window <see cref="LoginAttemptsPerWindow"/> counts in. Defaults to one minute.</summary>
    public TimeSpan LoginWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets or sets how long a web UI session lasts without activity. Defaults to 8 hours.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(AppsDatabasePath);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRequestBodyBytes, 1024, nameof(MaxRequestBodyBytes));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(SignatureWindow, TimeSpan.Zero, nameof(SignatureWindow));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(MaxLongPollWait, TimeSpan.Zero, nameof(MaxLongPollWait));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(OutcomeReportWindow, TimeSpan.Zero, nameof(OutcomeReportWindow));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(IdempotencyRetention, TimeSpan.Zero, nameof(IdempotencyRetention));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxTextLength, 64, nameof(MaxTextLength));
    }
}
