namespace Countersign.Server;

/// <summary>Options of the Countersign server: the REST API and the reviewer web UI.</summary>
public sealed class CountersignServerOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string ConfigurationSection = "Countersign:Server";

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
}
