using Countersign.Policy.Loading;

namespace Countersign.Policy;

/// <summary>
/// Loads an <see cref="ActionPolicy"/> from a YAML or JSON policy file (format: docs/policy.md, schema:
/// docs/policy.schema.json). Unknown fields, values of the wrong type and invalid rules are errors, so a typo never
/// silently weakens a policy; every problem found is reported with its file, line, rule and field.
/// </summary>
public static class PolicyLoader
{
    /// <summary>Loads a policy file, YAML (<c>.yaml</c>, <c>.yml</c>) or JSON (<c>.json</c>) by its extension.</summary>
    /// <param name="path">The file path; it names the file in errors and, unless the file says otherwise, the policy.</param>
    /// <returns>The policy.</returns>
    /// <exception cref="ArgumentException">The extension is none of <c>.yaml</c>, <c>.yml</c>, <c>.json</c>.</exception>
    /// <exception cref="PolicyLoadException">The file is not a valid policy.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static ActionPolicy LoadFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var extension = Path.GetExtension(path);
        var isYaml = extension.Equals(".yaml", StringComparison.OrdinalIgnoreCase) || extension.Equals(".yml", StringComparison.OrdinalIgnoreCase);
        if (!isYaml && !extension.Equals(".json", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"A policy file must end in .yaml, .yml or .json, not '{extension}': {path}", nameof(path));
        }

        var text = File.ReadAllText(path);
        return isYaml ? LoadYaml(text, path) : LoadJson(text, path);
    }

    /// <summary>Loads a policy from YAML text.</summary>
    /// <param name="text">The YAML text.</param>
    /// <param name="sourceName">How errors name the text, for example a file name.</param>
    /// <returns>The policy.</returns>
    /// <exception cref="PolicyLoadException">The text is not a valid policy.</exception>
    public static ActionPolicy LoadYaml(string text, string sourceName = "<inline>")
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(sourceName);
        return PolicyDocumentReader.Read(YamlNodeReader.Read(text, sourceName), sourceName);
    }

    /// <summary>Loads a policy from JSON text (comments are allowed).</summary>
    /// <param name="text">The JSON text.</param>
    /// <param name="sourceName">How errors name the text, for example a file name.</param>
    /// <returns>The policy.</returns>
    /// <exception cref="PolicyLoadException">The text is not a valid policy.</exception>
    public static ActionPolicy LoadJson(string text, string sourceName = "<inline>")
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(sourceName);
        return PolicyDocumentReader.Read(JsonNodeReader.Read(text, sourceName), sourceName);
    }
}
