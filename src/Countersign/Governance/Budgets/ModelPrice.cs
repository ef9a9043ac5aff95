namespace Countersign.Governance;

/// <summary>A model's price in USD per million input and output tokens.</summary>
/// <param name="InputPerMillion">USD per million input (prompt) tokens.</param>
/// <param name="OutputPerMillion">USD per million output (completion) tokens.</param>
public sealed record ModelPrice(decimal InputPerMillion, decimal OutputPerMillion)
{
    /// <summary>Prices a model call.</summary>
    /// <param name="inputTokens">Input tokens.</param>
    /// <param name="outputTokens">Output tokens.</param>
    /// <returns>The cost in USD.</returns>
    public decimal Price(long inputTokens, long outputTokens) =>
        ((inputTokens * InputPerMillion) + (outputTokens * OutputPerMillion)) / 1_000_000m;
}
