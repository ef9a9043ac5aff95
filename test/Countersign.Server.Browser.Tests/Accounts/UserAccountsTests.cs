using System.Buffers.Binary;
using Countersign.Server.Accounts;

namespace Countersign.Server.Browser.Tests.Accounts;

public sealed class UserAccountsTests : IDisposable
{
    private const string Password = "a long enough passphrase";
    private readonly string _directory = Directory.CreateTempSubdirectory("countersign-users-").FullName;
    private readonly UserAccounts _accounts;

    public UserAccountsTests() => _accounts = new UserAccounts(new SqliteUserStore(Path.Combine(_directory, "users.db")), TimeProvider.System);

    [Fact]
    public async Task Passwords_are_stored_as_PBKDF2_HMAC_SHA512_hashes_with_600000_iterations()
    {
        var user = await _accounts.CreateAsync("alice", Password, CountersignRoles.Admin);

        var hash = Convert.FromBase64String(user.PasswordHash);
        Assert.Equal(0x01, hash[0]);
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32BigEndian(hash.AsSpan(1, 4)));
        Assert.Equal(600_000u, BinaryPrimitives.ReadUInt32BigEndian(hash.AsSpan(5, 4)));
        Assert.DoesNotContain(Password, user.PasswordHash, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_right_password_finds_the_user_whatever_the_letter_case_of_the_name()
    {
        await _accounts.CreateAsync("Alice", Password, CountersignRoles.Reviewer);

        var user = await _accounts.VerifyAsync("alice", Password);

        Assert.NotNull(user);
        Assert.Equal(CountersignRoles.Reviewer, user.Role);
    }

    [Fact]
    public async Task A_wrong_password_an_unknown_name_and_empty_input_find_nobody()
    {
        await _accounts.CreateAsync("alice", Password, CountersignRoles.Reviewer);

        Assert.Null(await _accounts.VerifyAsync("alice", Password + "!"));
        Assert.Null(await _accounts.VerifyAsync("mallory", Password));
        Assert.Null(await _accounts.VerifyAsync("alice", ""));
        Assert.Null(await _accounts.VerifyAsync(null, null));
        Assert.Null(await _accounts.VerifyAsync("alice", new string('x', UserAccounts.MaximumPasswordLength + 1)));
    }

    [Theory]
    [InlineData("", Password, CountersignRoles.Admin)]
    [InlineData("has space", Password, CountersignRoles.Admin)]
    [InlineData("<script>", Password, CountersignRoles.Admin)]
    [InlineData("alice", "short", CountersignRoles.Admin)]
    [InlineData("alice", Password, "superuser")]
    public async Task Bad_names_passwords_and_roles_are_refused(string name, string password, string role)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _accounts.CreateAsync(name, password, role).AsTask());
        Assert.Equal(0, await _accounts.Store.CountAsync());
    }

    [Fact]
    public async Task A_name_is_taken_once_ignoring_letter_case()
    {
        await _accounts.CreateAsync("alice", Password, CountersignRoles.Admin);

        await Assert.ThrowsAsync<InvalidOperationException>(() => _accounts.CreateAsync("ALICE", Password, CountersignRoles.Viewer).AsTask());
        Assert.Equal(1, await _accounts.Store.CountAsync());
    }

    [Fact]
    public void Fewer_than_600000_iterations_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new UserAccounts(_accounts.Store, TimeProvider.System, iterationCount: 100_000));
    }

    [Fact]
    public async Task Users_survive_reopening_the_file_and_list_by_name()
    {
        await _accounts.CreateAsync("bob", Password, CountersignRoles.Reviewer);
        await _accounts.CreateAsync("alice", Password, CountersignRoles.Admin);

        var reopened = new SqliteUserStore(Path.Combine(_directory, "users.db"));
        var names = new List<string>();
        await foreach (var user in reopened.ListAsync())
        {
            names.Add(user.Name + ":" + user.Role);
        }

        Assert.Equal(["alice:admin", "bob:reviewer"], names);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
