namespace Countersign.Sqlite;

/// <summary>One step of a component's schema: applied once, in version order, inside the migration transaction.</summary>
/// <param name="Version">The version this step brings the component to; versions start at 1 with no gaps.</param>
/// <param name="Description">What the step does, recorded in the schema table.</param>
/// <param name="Sql">The statements to run.</param>
/// <param name="RefuseWhen">
/// A query that returns a row when the file holds data this step cannot carry forward; the migration is then refused
/// with <paramref name="Refusal"/> and nothing is changed.
/// </param>
/// <param name="Refusal">Why the file is refused, and what the user can do.</param>
internal sealed record SqliteMigration(int Version, string Description, string Sql, string? RefuseWhen = null, string? Refusal = null);
