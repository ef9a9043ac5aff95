namespace Countersign.Cli.Tests.EndToEnd;

/// <summary>Every end-to-end test class shares one packed and installed tool.</summary>
[CollectionDefinition(Name)]
public sealed class InstalledToolGroup : ICollectionFixture<InstalledTool>
{
    public const string Name = "installed countersign tool";
}
