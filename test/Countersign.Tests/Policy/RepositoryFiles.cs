namespace Countersign.Tests.Policy;

/// <summary>Finds files of the repository (docs, test data) from the test's output folder.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    public static string TestData(string name) => Path.Combine(Root, "test", "Countersign.Tests", "Policy", "TestData", name);

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Countersign.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("The repository root (Countersign.slnx) was not found above " + AppContext.BaseDirectory);
    }
}
