using System.Globalization;
using System.Text;
using Countersign.Signoff;

namespace Countersign.Sqlite.Signoff;

/// <summary>
/// Writes the SQL that makes SQLite enforce a record type's sign-off gate on every row, mirroring
/// <see cref="SignoffGatedRecord{TStatus}"/>: the same gated statuses, required fields, minimum length and whitespace.
/// </summary>
internal static class SignoffConstraintSql
{
    public static string CreateTable(string table, SignoffGateDeclaration declaration) =>
        $"""
        CREATE TABLE "{table}" (
            id TEXT NOT NULL PRIMARY KEY,
            status TEXT NOT NULL,
            verbatim_response TEXT,
            responsible_owner TEXT,
            approval_id TEXT,
            signed_at TEXT,
            key_id TEXT,
            signature TEXT,
            body TEXT NOT NULL,
            CONSTRAINT "{table}_signoff_required" CHECK ({RowIsValid(declaration, string.Empty)})
        ) STRICT
        """;

    public static IEnumerable<string> CreateTriggers(string table, SignoffGateDeclaration declaration)
    {
        // Triggers hold even when a connection sets PRAGMA ignore_check_constraints, and give a readable message.
        var message = Literal(
            $"SIGN-OFF REQUIRED: a row of {table} in a gated status ({string.Join(", ", declaration.GatedStatusNames)}) "
            + $"lacks the sign-off that {declaration.RecordType.Name} requires");
        foreach (var operation in new[] { "insert", "update" })
        {
            yield return $"""DROP TRIGGER IF EXISTS "{table}_signoff_{operation}" """;
            yield return $"""
                CREATE TRIGGER "{table}_signoff_{operation}" BEFORE {operation.ToUpperInvariant()} ON "{table}"
                WHEN NOT ({RowIsValid(declaration, "NEW.")})
                BEGIN SELECT RAISE(ABORT, {message}); END
                """;
        }
    }

    public static string CountViolations(string table, SignoffGateDeclaration declaration) =>
        $"""SELECT count(*) FROM "{table}" WHERE NOT ({RowIsValid(declaration, string.Empty)})""";

    /// <summary>An expression that is 1 for a row the gate allows and 0 otherwise, never NULL (a NULL CHECK passes).</summary>
    private static string RowIsValid(SignoffGateDeclaration declaration, string row)
    {
        var status = row + "status";
        var conditions = new List<string>();
        var required = declaration.RequiredFields;
        if ((required & SignoffFields.VerbatimResponse) != 0)
        {
            conditions.Add($"{Significant(row + "verbatim_response")} >= {declaration.MinimumVerbatimLength.ToString(CultureInfo.InvariantCulture)}");
        }

        if ((required & SignoffFields.ResponsibleOwner) != 0)
        {
            conditions.Add($"{Significant(row + "responsible_owner")} > 0");
        }

        if ((required & SignoffFields.ApprovalId) != 0)
        {
            conditions.Add($"{Significant(row + "approval_id")} > 0");
        }

        if ((required & SignoffFields.SignedAt) != 0 || declaration.RequireIssuedSignoff)
        {
            conditions.Add($"julianday({row}signed_at) IS NOT NULL");
        }

        if (declaration.RequireIssuedSignoff)
        {
            // The database cannot check the HMAC, so it insists on what verification needs to be present and on the
            // signature's shape; loading the row verifies the HMAC itself with the key.
            conditions.Add($"{row}responsible_owner IS NOT NULL AND {row}approval_id IS NOT NULL AND {row}key_id IS NOT NULL");
            conditions.Add($"coalesce(length({row}signature) = 64 AND {row}signature NOT GLOB '*[^0-9a-fA-F]*', 0)");
        }

        var gate = $"CASE WHEN {status} IN ({string.Join(", ", declaration.GatedStatusNames.Select(Literal))}) THEN ({string.Join(" AND ", conditions)}) ELSE 1 END";
        return declaration.KnownStatusNames is { } known
            ? $"coalesce({status} IN ({string.Join(", ", known.Select(Literal))}), 0) AND {gate}"
            : gate;
    }

    /// <summary>Counts the characters of a column that are not in <see cref="SignoffText.WhitespaceCodePoints"/>, as <see cref="SignoffText.CountSignificant"/> does.</summary>
    internal static string Significant(string column)
    {
        var stripped = new StringBuilder(column);
        foreach (var codePoint in SignoffText.WhitespaceCodePoints)
        {
            stripped.Insert(0, "replace(").Append(", char(").Append(codePoint.ToString(CultureInfo.InvariantCulture)).Append("), '')");
        }

        return $"(CASE WHEN instr({column}, char(0)) > 0 THEN 0 ELSE coalesce(length({stripped}), 0) END)";
    }

    private static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}
