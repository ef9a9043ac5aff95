using System.Globalization;

namespace Countersign.LoadHarness;

/// <summary>The harness's command line: a scenario name followed by <c>--name value</c> pairs.</summary>
internal sealed class HarnessArguments
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public HarnessArguments(string[] args)
    {
        Scenario = args.Length > 0 ? args[0] : "help";
        for (var i = 1; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Expected '--name value' pairs after the scenario, got '{args[i]}'.");
            }

            _values[args[i][2..]] = args[++i];
        }
    }

    public string Scenario { get; }

    public int Int(string name, int fallback) =>
        _values.TryGetValue(name, out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    public string Text(string name, string fallback) => _values.GetValueOrDefault(name, fallback);
}
