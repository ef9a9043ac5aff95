namespace Countersign.LoadHarness;

/// <summary>A database file in a fresh temporary folder, deleted afterwards.</summary>
internal sealed class ScratchDatabase : IDisposable
{
    public ScratchDatabase()
    {
        Directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "countersign-load", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        Path = System.IO.Path.Combine(Directory, "load.db");
    }

    public string Directory { get; }

    public string Path { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
