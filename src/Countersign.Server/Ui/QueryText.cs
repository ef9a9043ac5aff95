namespace Countersign.Server.Ui;

/// <summary>Filter values typed into the UI's forms: blank means no filter, and a value is cut to a bounded length.</summary>
internal static class QueryText
{
    public static string? Filter(string? text, int maxLength) =>
        string.IsNullOrWhiteSpace(text) ? null : text.Length > maxLength ? text[..maxLength] : text;
}
