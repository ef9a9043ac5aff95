namespace Countersign.Cli.Audit;

/// <summary>The formats <c>audit export</c> writes.</summary>
internal enum AuditExportFormat
{
    /// <summary>JSON Lines: one object per entry with the chain fields.</summary>
    Jsonl,

    /// <summary>Comma-separated values with a header row; cells a spreadsheet would run as formulas are defused.</summary>
    Csv,
}
