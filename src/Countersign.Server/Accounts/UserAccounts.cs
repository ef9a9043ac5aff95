using Countersign.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Countersign.Server.Accounts;

/// <summary>
/// Creates users and checks their passwords: the one public way in for the web UI's login, its first-run setup and
/// the command line's <c>users add</c>. Passwords are hashed with the framework's <see cref="PasswordHasher{TUser}"/>
/// (PBKDF2) at <see cref="IterationCount"/> iterations.
/// </summary>
/// <example>
/// <code>
/// var accounts = new UserAccounts(new SqliteUserStore("countersign.db"), TimeProvider.System);
/// await accounts.CreateAsync("alice", "a long passphrase of hers", CountersignRoles.Reviewer);
/// </code>
/// </example>
public sealed class UserAccounts
{
    /// <summary>The PBKDF2 iteration count used unless told otherwise: 600,000 (OWASP's 2023 figure; the framework's default is lower).</summary>
    public const int DefaultIterationCount = 600_000;

    /// <summary>The shortest password accepted: 12 characters.</summary>
    public const int MinimumPasswordLength = 12;

    /// <summary>The longest password accepted: 1,024 characters, so hashing stays bounded.</summary>
    public const int MaximumPasswordLength = 1024;

    /// <summary>The longest user name accepted: 64 characters.</summary>
    public const int MaximumNameLength = 64;

    private readonly IUserStore _store;
    private readonly TimeProvider _timeProvider;
    private readonly PasswordHasher<CountersignUser> _hasher;
    private readonly Lazy<string> _decoyHash;

    /// <summary>Creates the accounts over a store.</summary>
    /// <param name="store">Where users are kept.</param>
    /// <param name="timeProvider">The clock, for creation times.</param>
    /// <param name="iterationCount">PBKDF2 iterations for new hashes; at least <see cref="DefaultIterationCount"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="iterationCount"/> is below <see cref="DefaultIterationCount"/>.</exception>
    public UserAccounts(IUserStore store, TimeProvider timeProvider, int iterationCount = DefaultIterationCount)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterationCount, DefaultIterationCount);
        _store = store;
        _timeProvider = timeProvider;
        IterationCount = iterationCount;
        _hasher = new PasswordHasher<CountersignUser>(Options.Create(new PasswordHasherOptions
        {
            CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3,
            IterationCount = iterationCount,
        }));
        _decoyHash = new Lazy<string>(() => _hasher.HashPassword(Decoy, Convert.ToBase64String(Guid.NewGuid().ToByteArray())));
    }

    /// <summary>Gets the PBKDF2 iteration count of new hashes.</summary>
    public int IterationCount { get; }

    /// <summary>Gets the store users are kept in.</summary>
    public IUserStore Store => _store;

    /// <summary>Whether <paramref name="role"/> is one of the three roles.</summary>
    /// <param name="role">The role name.</param>
    /// <returns><see langword="true"/> for <c>admin</c>, <c>reviewer</c> and <c>viewer</c>.</returns>
    public static bool IsRole(string? role) => role is CountersignRoles.Admin or CountersignRoles.Reviewer or CountersignRoles.Viewer;

    /// <summary>Creates a user.</summary>
    /// <param name="name">The name: 1 to 64 letters, digits and <c>. _ - @</c>.</param>
    /// <param name="password">The password: 12 to 1,024 characters.</param>
    /// <param name="role">One of <see cref="CountersignRoles"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The stored user.</returns>
    /// <exception cref="ArgumentException">The name, password or role is not acceptable; the message says why.</exception>
    /// <exception cref="InvalidOperationException">A user with that name exists.</exception>
    public async ValueTask<CountersignUser> CreateAsync(string name, string password, string role, CancellationToken cancellationToken = default)
    {
        var problem = CheckName(name) ?? CheckPassword(password) ?? (IsRole(role) ? null : $"The role must be admin, reviewer or viewer (was '{ReviewerText.Neutralize(role, 32)}').");
        if (problem is not null)
        {
            throw new ArgumentException(problem);
        }

        var user = new CountersignUser { Name = name, Role = role, PasswordHash = string.Empty, CreatedAt = _timeProvider.GetUtcNow() };
        user = user with { PasswordHash = _hasher.HashPassword(user, password) };
        if (!await _store.TryCreateAsync(user, cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"A user named '{name}' exists already.");
        }

        return user;
    }

    /// <summary>
    /// Checks a password. An unknown name costs as much time as a wrong password, so the answer does not tell which
    /// names exist. A correct password stored with fewer iterations than <see cref="IterationCount"/> is rehashed.
    /// </summary>
    /// <param name="name">The user's name.</param>
    /// <param name="password">The password offered.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The user when the password is theirs, otherwise <see langword="null"/>.</returns>
    public async ValueTask<CountersignUser?> VerifyAsync(string? name, string? password, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(password) || password.Length > MaximumPasswordLength || CheckName(name) is not null)
        {
            return null;
        }

        var user = await _store.FindAsync(name!, cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            _hasher.VerifyHashedPassword(Decoy, _decoyHash.Value, password);
            return null;
        }

        switch (_hasher.VerifyHashedPassword(user, user.PasswordHash, password))
        {
            case PasswordVerificationResult.Success:
                return user;
            case PasswordVerificationResult.SuccessRehashNeeded:
                var rehashed = user with { PasswordHash = _hasher.HashPassword(user, password) };
                await _store.UpdatePasswordHashAsync(user.Name, rehashed.PasswordHash, cancellationToken).ConfigureAwait(false);
                return rehashed;
            default:
                return null;
        }
    }

    /// <summary>Says what is wrong with a user name, or returns <see langword="null"/> when it is acceptable.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The problem, or <see langword="null"/>.</returns>
    public static string? CheckName(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaximumNameLength)
        {
            return $"A user name has 1 to {MaximumNameLength} characters.";
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or '-' or '@'))
            {
                return "A user name holds only letters, digits and . _ - @.";
            }
        }

        return null;
    }

    /// <summary>Says what is wrong with a new password, or returns <see langword="null"/> when it is acceptable.</summary>
    /// <param name="password">The password.</param>
    /// <returns>The problem, or <see langword="null"/>.</returns>
    public static string? CheckPassword(string? password) =>
        password is null || password.Length < MinimumPasswordLength || password.Length > MaximumPasswordLength
            ? $"A password has {MinimumPasswordLength} to {MaximumPasswordLength} characters."
            : null;

    private static readonly CountersignUser Decoy = new() { Name = "decoy", Role = CountersignRoles.Viewer, PasswordHash = string.Empty, CreatedAt = DateTimeOffset.UnixEpoch };
}
