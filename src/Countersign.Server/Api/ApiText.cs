using Microsoft.AspNetCore.Http;
namespace Countersign.Server.Api;

/// <summary>Bounds on agent- and reviewer-supplied text: a field over the limit or holding control characters is a 400.</summary>
internal static class ApiText
{
    public static string? Optional(string? value, string field, int maxLength)
    {
        if (value is null)
        {
            return null;
        }

        if (value.Length > maxLength)
        {
            throw new ApiProblemException(StatusCodes.Status400BadRequest, "Field too long", $"'{field}' is longer than {maxLength} characters.");
        }

        return value;
    }

    /// <summary>An identifier: no control characters, at most 200 characters.</summary>
    public static string? Identifier(string? value, string field)
    {
        if (value is null)
        {
            return null;
        }

        if (value.Length is 0 or > 200 || value.Any(char.IsControl))
        {
            throw new ApiProblemException(StatusCodes.Status400BadRequest, "Invalid identifier", $"'{field}' must be 1 to 200 characters without control characters.");
        }

        return value;
    }

    /// <summary>A resource id in a route, checked before it reaches the store.</summary>
    public static string RouteId(string value, string prefix)
    {
        if (value.Length is < 5 or > 100 || !value.StartsWith(prefix, StringComparison.Ordinal) || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
        {
            throw new ApiProblemException(StatusCodes.Status400BadRequest, "Invalid id", $"'{Truncate(value)}' is not a valid id; ids start with '{prefix}' and hold letters, digits, '_' and '-'.");
        }

        return value;
    }

    private static string Truncate(string value) => value.Length <= 40 ? new string(value.Where(c => !char.IsControl(c)).ToArray()) : new string(value[..40].Where(c => !char.IsControl(c)).ToArray()) + "…";
}
