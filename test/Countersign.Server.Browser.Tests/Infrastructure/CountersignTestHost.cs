using System.Collections.Concurrent;
using Countersign.DependencyInjection;
using Countersign.Pipeline;
using Countersign.Server.Accounts;
using Countersign.Sqlite;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Countersign.Server.Browser.Tests.Infrastructure;

/// <summary>
/// The server as a user runs it: an ASP.NET Core app on 127.0.0.1 (Kestrel, a free port) with the gate on a real SQLite
/// file and <c>MapCountersign()</c>. Guarded calls go through the same gate in process.
/// </summary>
public sealed class CountersignTestHost : IAsyncDisposable
{
    public const string Password = "correct horse battery staple";

    private readonly WebApplication _app;
    private readonly string _directory;
    private bool _stopped;
    private bool _ownsDirectory = true;

    private CountersignTestHost(WebApplication app, string directory, LogCapture log)
    {
        _app = app;
        _directory = directory;
        DatabasePath = Path.Combine(directory, "countersign.db");
        Log = log;
        BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
    }

    public string BaseUrl { get; }

    public string DatabasePath { get; }

    public LogCapture Log { get; }

    public ActionGate Gate => _app.Services.GetRequiredService<ActionGate>();

    public UserAccounts Accounts => _app.Services.GetRequiredService<UserAccounts>();

    public IServiceProvider Services => _app.Services;

    public string Url(string path) => BaseUrl + path;

    /// <summary>The users the tests sign in as, with their roles.</summary>
    public static readonly IReadOnlyDictionary<string, string> Users = new Dictionary<string, string>
    {
        ["alice"] = CountersignRoles.Admin,
        ["bob"] = CountersignRoles.Reviewer,
        ["carol"] = CountersignRoles.Reviewer,
        ["victor"] = CountersignRoles.Viewer,
        ["agent-owner"] = CountersignRoles.Reviewer,
    };

    public static async Task<CountersignTestHost> StartAsync(int loginAttemptsPerMinute = 1000, IReadOnlyCollection<string>? users = null, string? directory = null)
    {
        directory ??= Directory.CreateTempSubdirectory("countersign-ui-").FullName;
        var database = Path.Combine(directory, "countersign.db");
        var log = new LogCapture();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production, ContentRootPath = directory });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders().AddProvider(log);
        builder.Services.AddCountersign(options => options.ReviewTimeout = TimeSpan.FromMinutes(10)).UseSqlite(database);
        builder.Services.AddCountersignServer(options =>
        {
            options.UsersDatabasePath = database;
            options.LoginAttemptsPerWindow = loginAttemptsPerMinute;
        });

        var app = builder.Build();
        app.MapCountersign();
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
            throw;
        }

        var host = new CountersignTestHost(app, directory, log);
        await Task.WhenAll((users ?? Users.Keys).Select(name => host.Accounts.CreateAsync(name, Password, Users[name]).AsTask()));

        return host;
    }

    private async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    /// <summary>A guarded call waiting for its reviewers, as an agent's process would make it.</summary>
    public Task<GateAuthorization> SubmitAsync(string toolName, object? arguments = null, string? description = null, string requestedBy = "agent-owner") =>
        Task.Run(() => Gate.AuthorizeAsync(new ActionRequest
        {
            ToolName = toolName,
            Arguments = ActionArguments.From(arguments),
            AgentId = "agent-7",
            RequestedBy = requestedBy,
            Description = description,
        }));

    /// <summary>Stops this server and starts a new one on the same files, as a restart would; the new one owns the files.</summary>
    public async Task<CountersignTestHost> RestartAsync()
    {
        await StopAsync();
        _ownsDirectory = false;
        return await StartAsync(users: [], directory: _directory);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (!_ownsDirectory)
        {
            return;
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by the OS is left to the temp cleaner; the test's outcome does not depend on it.
        }
    }
}

/// <summary>Keeps what the app logged, so tests can read what an operator would see.</summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(_lines);

    public void Dispose()
    {
    }

    private sealed class Logger(ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(formatter(state, exception) + (exception is null ? "" : " " + exception));
    }
}
