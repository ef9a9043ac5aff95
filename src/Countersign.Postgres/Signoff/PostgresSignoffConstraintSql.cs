using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Countersign.Signoff;

namespace Countersign.Postgres.Signoff;

/// <summary>
/// Writes the SQL that makes PostgreSQL enforce a record type's sign-off gate on every row, mirroring
/// <see cref="SignoffGatedRecord{TStatus}"/>: the same gated statuses, required fields, minimum length and whitespace.
/// A CHECK constraint is enough here: PostgreSQL has no switch that skips it for a session.
/// </summary>
internal static class PostgresSignoffConstraintSql
{
    public static string ConstraintName(string table) => table + "_signoff_required";

    public static string CreateTable(string table, SignoffGateDeclaration declaration) =>
        $"""
        CREATE TABLE "{table}" (
            id text NOT NULL PRIMARY KEY,
            status text NOT NULL,
            verbatim_response text,
            responsible_owner text,
            approval_id text,
            signed_at timestamptz,
            key_id text,
            signature text,
            body jsonb NOT NULL,
            CONSTRAINT "{ConstraintName(table)}" CHECK ({RowIsValid(declaration)})
        )
        """;

    /// <summary>Tags the constraint with the declaration it was generated from, so a table made for another declaration is noticed.</summary>
    public static string Tag(string table, SignoffGateDeclaration declaration) =>
        $"""COMMENT ON CONSTRAINT "{ConstraintName(table)}" ON "{table}" IS '{Fingerprint(declaration)}'""";

    public static string ReadTag(string table) =>
        $"""
        SELECT obj_description(c.oid, 'pg_constraint') FROM pg_constraint c
        WHERE c.conname = '{ConstraintName(table)}' AND c.conrelid = to_regclass('"{table}"')
        """;

    public static string CountViolations(string table, SignoffGateDeclaration declaration) =>
        $"""SELECT count(*) FROM "{table}" WHERE NOT ({RowIsValid(declaration)})""";

    /// <summary>Identifies the rule the constraint enforces: a hash of its expression.</summary>
    public static string Fingerprint(SignoffGateDeclaration declaration) =>
        "countersign-signoff:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(RowIsValid(declaration))));

    /// <summary>An expression that is true for a row the gate allows and false otherwise, never NULL (a NULL CHECK passes).</summary>
    private static string RowIsValid(SignoffGateDeclaration declaration)
    {
        var conditions = new List<string>();
        var required = declaration.RequiredFields;
        if ((required & SignoffFields.VerbatimResponse) != 0)
        {
            conditions.Add($"{Significant("verbatim_response")} >= {declaration.MinimumVerbatimLength.ToString(CultureInfo.InvariantCulture)}");
        }

        if ((required & SignoffFields.ResponsibleOwner) != 0)
        {
            conditions.Add($"{Significant("responsible_owner")} > 0");
        }

        if ((required & SignoffFields.ApprovalId) != 0)
        {
            conditions.Add($"{Significant("approval_id")} > 0");
        }

        if ((required & SignoffFields.SignedAt) != 0 || declaration.RequireIssuedSignoff)
        {
            conditions.Add("signed_at IS NOT NULL");
        }

        if (declaration.RequireIssuedSignoff)
        {
            // The database cannot check the HMAC, so it insists on what verification needs and on the signature's
            // shape; loading the row verifies the HMAC itself with the key.
            conditions.Add("responsible_owner IS NOT NULL AND approval_id IS NOT NULL AND key_id IS NOT NULL");
            conditions.Add("coalesce(signature ~ '^[0-9a-fA-F]{64}$', false)");
        }

        var met = conditions.Count == 0 ? "true" : string.Join(" AND ", conditions);
        var gate = $"CASE WHEN status IN ({string.Join(", ", declaration.GatedStatusNames.Select(Literal))}) THEN ({met}) ELSE true END";
        return declaration.KnownStatusNames is { } known
            ? $"coalesce(status IN ({string.Join(", ", known.Select(Literal))}), false) AND {gate}"
            : gate;
    }

    /// <summary>Counts the characters of a column that are not in <see cref="SignoffText.WhitespaceCodePoints"/>, as <see cref="SignoffText.CountSignificant"/> does.</summary>
    internal static string Significant(string column)
    {
        var whitespace = string.Join(" || ", SignoffText.WhitespaceCodePoints.Select(codePoint => $"chr({codePoint.ToString(CultureInfo.InvariantCulture)})"));
        return $"coalesce(length(translate({column}, {whitespace}, '')), 0)";
    }

    private static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}
