using Countersign.Cli.CommandLine;
using Countersign.Policy;

namespace Countersign.Cli.Policies;

/// <summary>Reads a policy file named on the command line, with the checks a file from anywhere needs.</summary>
internal static class PolicyFile
{
    /// <summary>The largest policy file read; a real one is a few kilobytes.</summary>
    public const long MaxBytes = 4 * 1024 * 1024;

    public static string Resolve(CommandContext context, string? given)
    {
        if (string.IsNullOrWhiteSpace(given))
        {
            throw CliException.Usage("name a policy file (.yaml, .yml or .json).");
        }

        var path = context.Host.ResolvePath(given);
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw CliException.NotFound($"policy file '{given}' does not exist.");
        }

        if (info.Length > MaxBytes)
        {
            throw CliException.Usage($"policy file '{given}' is {info.Length} bytes; the limit is {MaxBytes}.");
        }

        return path;
    }

    /// <summary>Loads the policy; a malformed file surfaces as <see cref="PolicyLoadException"/>.</summary>
    public static ActionPolicy Load(string path)
    {
        try
        {
            return PolicyLoader.LoadFile(path);
        }
        catch (ArgumentException exception)
        {
            throw CliException.Usage(exception.Message);
        }
    }
}
