namespace Countersign.Approvals;

/// <summary>How much harm a wrong call could do; shown to reviewers and recorded in the audit log.</summary>
public enum RiskLevel
{
    /// <summary>Routine and easy to undo.</summary>
    Low = 0,

    /// <summary>Worth a look.</summary>
    Medium = 1,

    /// <summary>Hard to undo or costly.</summary>
    High = 2,

    /// <summary>Irreversible or affecting many people.</summary>
    Critical = 3,
}
