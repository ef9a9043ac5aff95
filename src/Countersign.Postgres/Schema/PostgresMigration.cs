namespace Countersign.Postgres;

/// <summary>One step of the store's schema: applied once, in version order, inside the migration transaction.</summary>
/// <param name="Version">The version this step brings the schema to; versions start at 1 with no gaps.</param>
/// <param name="Description">What the step does, recorded in <c>countersign_schema_version</c>.</param>
/// <param name="Statements">The statements to run, in order.</param>
internal sealed record PostgresMigration(int Version, string Description, IReadOnlyList<string> Statements);
