namespace Countersign.Text;

/// <summary>Placeholder until the reviewer-text change lands.</summary>
public static class ReviewerText
{
    /// <summary>Placeholder.</summary>
    /// <param name="text">Text.</param>
    /// <param name="maxLength">Length.</param>
    /// <returns>Text.</returns>
    public static string Neutralize(string? text, int maxLength) => text ?? string.Empty;

    /// <summary>Placeholder.</summary>
    /// <param name="text">Text.</param>
    /// <returns>Whether.</returns>
    public static bool ContainsUnsafeCharacter(string text) => text.Any(char.IsControl);
}
