using System.Globalization;

namespace Countersign;

/// <summary>
/// Reads the <c>COUNTERSIGN_*</c> environment variables so operators can change enforcement without a code change:
/// <c>COUNTERSIGN_ENFORCEMENT_MODE</c> (enforce | shadow | sample), <c>COUNTERSIGN_SAMPLE_PERCENT</c>,
/// <c>COUNTERSIGN_ON_REVIEW</c> (block | fail_closed | fail_open | shadow), <c>COUNTERSIGN_REVIEW_TIMEOUT</c> (seconds or a
/// TimeSpan), <c>COUNTERSIGN_POLICY_PATH</c> and <c>COUNTERSIGN_MAX_PAYLOAD_BYTES</c>.
/// </summary>
public static class CountersignEnvironment
{
    /// <summary>Applies the variables found to <paramref name="options"/>.</summary>
    /// <param name="options">The options to change.</param>
    /// <param name="getVariable">Reads a variable; defaults to <see cref="Environment.GetEnvironmentVariable(string)"/>.</param>
    /// <exception cref="ArgumentException">A variable is set to a value that cannot be used; the message names it.</exception>
    public static void Apply(CountersignOptions options, Func<string, string?>? getVariable = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        getVariable ??= Environment.GetEnvironmentVariable;

        if (Read(getVariable, "COUNTERSIGN_ENFORCEMENT_MODE") is { } mode)
        {
            options.EnforcementMode = ParseEnum<EnforcementMode>("COUNTERSIGN_ENFORCEMENT_MODE", mode);
        }

        if (Read(getVariable, "COUNTERSIGN_SAMPLE_PERCENT") is { } percent)
        {
            options.SamplePercent = double.TryParse(percent, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw Invalid("COUNTERSIGN_SAMPLE_PERCENT", percent, "a number from 0 to 100");
        }

        if (Read(getVariable, "COUNTERSIGN_ON_REVIEW") is { } onReview)
        {
            options.OnReview = ParseEnum<OnReviewBehavior>("COUNTERSIGN_ON_REVIEW", onReview);
        }

        if (Read(getVariable, "COUNTERSIGN_REVIEW_TIMEOUT") is { } timeout)
        {
            options.ReviewTimeout = ParseDuration("COUNTERSIGN_REVIEW_TIMEOUT", timeout);
        }

        if (Read(getVariable, "COUNTERSIGN_POLICY_PATH") is { } path)
        {
            options.PolicyPath = path;
        }

        if (Read(getVariable, "COUNTERSIGN_MAX_PAYLOAD_BYTES") is { } max)
        {
            options.MaxPayloadBytes = int.TryParse(max, NumberStyles.Integer, CultureInfo.InvariantCulture, out var bytes)
                ? bytes
                : throw Invalid("COUNTERSIGN_MAX_PAYLOAD_BYTES", max, "a whole number of bytes");
        }
    }

    internal static TEnum ParseEnum<TEnum>(string name, string text)
        where TEnum : struct, Enum
    {
        var normalized = text.Replace("_", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal);
        if (Enum.TryParse<TEnum>(normalized, ignoreCase: true, out var value) && Enum.IsDefined(value) && !int.TryParse(normalized, out _))
        {
            return value;
        }

        var allowed = string.Join(" | ", Enum.GetNames<TEnum>().Select(ToSnakeCase));
        throw Invalid(name, text, allowed);
    }

    internal static TimeSpan ParseDuration(string name, string text)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && span > TimeSpan.Zero)
        {
            return span;
        }

        throw Invalid(name, text, "a positive number of seconds or a TimeSpan such as 00:05:00");
    }

    internal static string ToSnakeCase(string pascal)
    {
        var builder = new System.Text.StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            if (char.IsUpper(pascal[i]) && i > 0)
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(pascal[i]));
        }

        return builder.ToString();
    }

    private static string? Read(Func<string, string?> getVariable, string name)
    {
        var value = getVariable(name);
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    private static ArgumentException Invalid(string name, string value, string expected) =>
        new($"The environment variable {name} is '{value}'; expected {expected}.");
}
