namespace Countersign.Pipeline;

/// <summary>The result of a guarded call that returns nothing; never recorded.</summary>
internal sealed class NoResult
{
    public static readonly NoResult Instance = new();
}
