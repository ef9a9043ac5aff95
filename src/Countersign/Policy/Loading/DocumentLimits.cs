namespace Countersign.Policy.Loading;

/// <summary>
/// How big a policy document may be, so that a hostile or broken file is refused with a <see cref="PolicyLoadException"/>
/// instead of exhausting the stack or keeping the loader busy: YAML aliases let a small file stand for an enormous tree.
/// </summary>
internal static class DocumentLimits
{
    /// <summary>The deepest nesting of lists and mappings, counting what aliases stand for; a policy needs five.</summary>
    public const int MaxDepth = 64;

    /// <summary>The number of nodes every document may hold, however short its text.</summary>
    public const int MinNodes = 100_000;

    public const string TooDeep = "nested more than 64 levels deep";

    /// <summary>The nodes a document may hold, counting each alias as every node it stands for. A file without
    /// aliases has fewer nodes than characters, so only alias expansion can reach the limit.</summary>
    public static long MaxNodes(string text) => Math.Max(MinNodes, text.Length);
}
