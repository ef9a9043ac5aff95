namespace Countersign.Server.Accounts;

/// <summary>
/// Durable home of the web UI's users. <see cref="SqliteUserStore"/> is the built-in one; another database implements
/// this interface and is registered before <c>AddCountersignServer()</c>.
/// </summary>
public interface IUserStore
{
    /// <summary>Stores a new user unless one with the same name (letter case ignored) exists.</summary>
    /// <param name="user">The user.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> if the user was stored; <see langword="false"/> if the name is taken.</returns>
    ValueTask<bool> TryCreateAsync(CountersignUser user, CancellationToken cancellationToken = default);

    /// <summary>Finds a user by name, ignoring letter case.</summary>
    /// <param name="name">The user's name.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The user, or <see langword="null"/>.</returns>
    ValueTask<CountersignUser?> FindAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Replaces a user's password hash, for example when a stored hash is upgraded to the current work factor.</summary>
    /// <param name="name">The user's name.</param>
    /// <param name="passwordHash">The new hash.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> if the user exists and was updated.</returns>
    ValueTask<bool> UpdatePasswordHashAsync(string name, string passwordHash, CancellationToken cancellationToken = default);

    /// <summary>Counts the users; the server offers the first-admin setup only while there are none.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>How many users exist.</returns>
    ValueTask<long> CountAsync(CancellationToken cancellationToken = default);

    /// <summary>Lists every user, by name.</summary>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The users.</returns>
    IAsyncEnumerable<CountersignUser> ListAsync(CancellationToken cancellationToken = default);
}
