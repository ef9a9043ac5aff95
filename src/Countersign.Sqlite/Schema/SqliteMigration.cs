namespace Countersign.Sqlite;

/// <summary>One step of a component's schema: applied once, in version order, inside the migration transaction.</summary>
/// <param name="Version">The version this step brings the component to; versions start at 1 with no gaps.</param>
/// <param name="Description">What the step does, recorded in the schema table.</param>
/// <param name="Sql">The statements to run.</param>
internal sealed record SqliteMigration(int Version, string Description, string Sql);
