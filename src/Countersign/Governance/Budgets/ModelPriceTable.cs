using System.Globalization;
using System.Text.Json;

namespace Countersign.Governance;

/// <summary>
/// Model prices: the built-in table (<c>model-prices.json</c>, embedded), then a file of the user's, then prices set
/// in code. A model is found by its exact name, else by the longest known name it starts with (<c>gpt-4o-2024-08-06</c>
/// is priced as <c>gpt-4o</c>).
/// </summary>
public sealed class ModelPriceTable
{
    private readonly Dictionary<string, ModelPrice> _prices;

    private ModelPriceTable(Dictionary<string, ModelPrice> prices)
    {
        _prices = prices;
    }

    /// <summary>Gets the models priced, by name.</summary>
    public IReadOnlyDictionary<string, ModelPrice> Prices => _prices;

    /// <summary>Builds the table from the built-in prices, a file and overrides.</summary>
    /// <param name="path">A JSON file shaped like the built-in one (<c>{"models": {"name": {"input": 1.0, "output": 2.0}}}</c>), or <see langword="null"/>.</param>
    /// <param name="overrides">Prices set in code, or <see langword="null"/>.</param>
    /// <returns>The table.</returns>
    /// <exception cref="FormatException">The file is not a price table.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static ModelPriceTable Load(string? path = null, IEnumerable<KeyValuePair<string, ModelPrice>>? overrides = null)
    {
        var prices = new Dictionary<string, ModelPrice>(StringComparer.OrdinalIgnoreCase);
        using (var builtIn = typeof(ModelPriceTable).Assembly.GetManifestResourceStream("Countersign.Governance.model-prices.json")
            ?? throw new InvalidOperationException("The built-in model price table is missing from the assembly."))
        {
            Read(builtIn, "the built-in model-prices.json", prices);
        }

        if (path is not null)
        {
            using var file = File.OpenRead(path);
            Read(file, path, prices);
        }

        foreach (var (model, price) in overrides ?? [])
        {
            prices[model] = price;
        }

        return new ModelPriceTable(prices);
    }

    /// <summary>Finds a model's price.</summary>
    /// <param name="model">The model name.</param>
    /// <param name="price">The price, when known.</param>
    /// <returns>Whether the model is priced.</returns>
    public bool TryGetPrice(string model, out ModelPrice price)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (_prices.TryGetValue(model, out price!))
        {
            return true;
        }

        var best = _prices.Keys.Where(k => model.StartsWith(k, StringComparison.OrdinalIgnoreCase)).MaxBy(k => k.Length);
        price = best is null ? null! : _prices[best];
        return best is not null;
    }

    private static void Read(Stream stream, string source, Dictionary<string, ModelPrice> prices)
    {
        try
        {
            using var document = JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 8 });
            if (!document.RootElement.TryGetProperty("models", out var models) || models.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"{source}: expected an object with a 'models' object.");
            }

            foreach (var model in models.EnumerateObject())
            {
                if (model.Value.ValueKind != JsonValueKind.Object
                    || !model.Value.TryGetProperty("input", out var input) || !input.TryGetDecimal(out var inputPrice) || inputPrice < 0
                    || !model.Value.TryGetProperty("output", out var output) || !output.TryGetDecimal(out var outputPrice) || outputPrice < 0)
                {
                    throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"{source}: model '{model.Name}' needs non-negative numbers 'input' and 'output' (USD per million tokens)."));
                }

                prices[model.Name] = new ModelPrice(inputPrice, outputPrice);
            }
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{source}: not valid JSON: {ex.Message}", ex);
        }
    }
}
