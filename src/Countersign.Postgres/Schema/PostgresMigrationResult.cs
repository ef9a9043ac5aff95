namespace Countersign.Postgres;

/// <summary>What a migration did.</summary>
/// <param name="PreviousVersion">The schema version before, 0 for an empty database.</param>
/// <param name="CurrentVersion">The schema version after: the newest this version of Countersign knows.</param>
public sealed record PostgresMigrationResult(int PreviousVersion, int CurrentVersion)
{
    /// <summary>Gets whether any step was applied.</summary>
    public bool Applied => CurrentVersion != PreviousVersion;
}
