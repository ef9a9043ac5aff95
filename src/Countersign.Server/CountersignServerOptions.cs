namespace Countersign.Server;

/// <summary>Options of the Countersign server: the REST API and the reviewer web UI.</summary>
public sealed class CountersignServerOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string ConfigurationSection = "Countersign:Server";
}
