namespace Countersign.Governance;

/// <summary>What a budget counter is reset by.</summary>
public enum BudgetPeriod
{
    /// <summary>One counter per agent session (<see cref="ActionRequest.SessionId"/>).</summary>
    Session = 0,

    /// <summary>One counter per agent per UTC day.</summary>
    Day = 1,
}
