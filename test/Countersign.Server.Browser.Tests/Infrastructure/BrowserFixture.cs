using Microsoft.Playwright;

namespace Countersign.Server.Browser.Tests.Infrastructure;

/// <summary>
/// One headless Debian Chromium for the test run, driven by Playwright; it is never downloaded. A missing browser
/// fails the tests: they are not skipped.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var executable = Environment.GetEnvironmentVariable("COUNTERSIGN_TEST_CHROMIUM") is { Length: > 0 } configured ? configured : "/usr/bin/chromium";
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"Chromium is not at '{executable}'. Install Debian's chromium package or set COUNTERSIGN_TEST_CHROMIUM.");
        }

        Assertions.SetDefaultExpectTimeout(30_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args = ["--no-sandbox"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}

/// <summary>The shared server of the browser tests; each test uses its own tool names, so tests do not see each other's approvals as theirs.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public CountersignTestHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await CountersignTestHost.StartAsync();

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class BrowserTestGroup : ICollectionFixture<BrowserFixture>, ICollectionFixture<ServerFixture>
{
    public const string Name = "browser";
}
