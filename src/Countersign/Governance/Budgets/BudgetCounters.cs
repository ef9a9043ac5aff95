using System.Globalization;
using System.Text.Json;
using Countersign.Policy;

namespace Countersign.Governance;

/// <summary>Turns the configured limits into the counters a call or a model use draws on.</summary>
internal sealed class BudgetCounters
{
    private readonly (BudgetLimit Limit, GlobPattern? Tool)[] _limits;

    public BudgetCounters(BudgetOptions options)
    {
        Options = options;
        _limits = [.. options.Limits.Select(l => (l, l.Tool is null ? null : new GlobPattern(l.Tool)))];
        Prices = ModelPriceTable.Load(options.ModelPricesPath, options.ModelPrices);
    }

    public BudgetOptions Options { get; }

    public ModelPriceTable Prices { get; }

    /// <summary>The charges of a call; a cost that cannot be read is an error that denies it.</summary>
    public List<BudgetCharge> ForCall(ActionRequest request, DateTimeOffset now, out string? error)
    {
        error = null;
        var charges = new List<BudgetCharge>(_limits.Length);
        foreach (var (limit, tool) in _limits)
        {
            if (!Applies(limit, request.AgentId) || (tool is not null && !tool.IsMatch(request.ToolName)))
            {
                continue;
            }

            decimal amount;
            switch (limit.Measure)
            {
                case BudgetMeasure.Calls:
                    amount = 1;
                    break;
                case BudgetMeasure.Cost when limit.FixedCost is { } fixedCost:
                    amount = fixedCost;
                    break;
                case BudgetMeasure.Cost:
                    if (!TryReadCost(request.Arguments, limit.CostArgument!, out amount))
                    {
                        error = $"the budget's cost argument '{limit.CostArgument}' of '{request.ToolName}' is missing, not a number or negative";
                        return charges;
                    }

                    break;
                default:
                    amount = 0;
                    break;
            }

            charges.Add(new BudgetCharge(Key(limit, request.AgentId, request.SessionId, now), amount, limit.Cap));
        }

        return charges;
    }

    /// <summary>The charges of recorded model use: its tokens and its price, on every token and USD limit of the agent.</summary>
    public List<BudgetCharge> ForModelUsage(ModelUsage usage, decimal usd, DateTimeOffset now)
    {
        var charges = new List<BudgetCharge>();
        foreach (var (limit, _) in _limits)
        {
            if (!Applies(limit, usage.AgentId))
            {
                continue;
            }

            var amount = limit.Measure switch
            {
                BudgetMeasure.Tokens => usage.InputTokens + usage.OutputTokens,
                BudgetMeasure.Usd => usd,
                _ => -1m,
            };
            if (amount >= 0)
            {
                charges.Add(new BudgetCharge(Key(limit, usage.AgentId, usage.SessionId, now), amount, limit.Cap));
            }
        }

        return charges;
    }

    /// <summary>The key of a counter: agent, period, measure and tool.</summary>
    public static string Key(BudgetLimit limit, string? agentId, string? sessionId, DateTimeOffset now)
    {
        var period = limit.Period == BudgetPeriod.Day
            ? "day:" + now.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : "session:" + (sessionId ?? "-");
        var measure = limit.Measure switch
        {
            BudgetMeasure.Calls => "calls",
            BudgetMeasure.Cost => "cost",
            BudgetMeasure.Tokens => "tokens",
            _ => "usd",
        };
        return $"{agentId ?? "-"}|{period}|{measure}|{limit.Tool ?? "*"}";
    }

    private static bool Applies(BudgetLimit limit, string? agentId) => limit.Agent is null || string.Equals(limit.Agent, agentId, StringComparison.Ordinal);

    private static bool TryReadCost(JsonElement arguments, string name, out decimal amount)
    {
        amount = 0;
        return arguments.ValueKind == JsonValueKind.Object
            && arguments.TryGetProperty(name, out var value)
            && value.ValueKind == JsonValueKind.Number
            && value.TryGetDecimal(out amount)
            && amount >= 0;
    }
}
