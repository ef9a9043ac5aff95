using System.Globalization;
using Countersign.Text;

namespace Countersign.Server.Ui;

/// <summary>
/// Lays out the dashboard's charts as SVG shapes for the page to write: server-rendered, no script, no inline style
/// (colours come from the style sheet's classes), labels neutralised and HTML-encoded like all other text.
/// </summary>
internal static class SvgCharts
{
    public const double Width = 640;
    private const double Left = 40;
    private const double Bottom = 22;
    private const double Top = 8;
    private const double RowHeight = 24;
    private const double NameWidth = 260;

    public static SvgChart StackedPerMinute(IReadOnlyList<MinuteCounts> minutes, double height = 200)
    {
        var max = Math.Max(1, minutes.Max(static m => m.Counts.Sum()));
        var plotHeight = height - Bottom - Top;
        var slot = (Width - Left) / Math.Max(1, minutes.Count);
        var shapes = new List<SvgShape>();
        var labels = new List<SvgLabel>
        {
            new(Left - 6, Top + 10, max.ToString(CultureInfo.InvariantCulture), "end"),
            new(Left - 6, height - Bottom, "0", "end"),
        };
        for (var i = 0; i < minutes.Count; i++)
        {
            var x = Left + (i * slot) + 1;
            var y = height - Bottom;
            var minute = minutes[i];
            for (var category = 0; category < minute.Counts.Length; category++)
            {
                var count = minute.Counts[category];
                if (count == 0)
                {
                    continue;
                }

                var barHeight = count / (double)max * plotHeight;
                y -= barHeight;
                shapes.Add(new SvgShape(x, y, Math.Max(1, slot - 2), barHeight, "bar bar-" + category.ToString(CultureInfo.InvariantCulture),
                    string.Create(CultureInfo.InvariantCulture, $"{minute.Minute:HH:mm} UTC: {count} {DashboardSnapshot.Categories[category]}")));
            }

            if (i % 5 == 0 || i == minutes.Count - 1)
            {
                labels.Add(new SvgLabel(x + (slot / 2), height - 6, minute.Minute.ToString("HH:mm", CultureInfo.InvariantCulture), "middle"));
            }
        }

        return new SvgChart(Width, height, shapes, labels);
    }

    public static SvgChart HorizontalBars(IReadOnlyList<KeyValuePair<string, long>> counts)
    {
        var height = Math.Max(1, counts.Count) * RowHeight + 4;
        var max = Math.Max(1, counts.Count == 0 ? 1 : counts.Max(static c => c.Value));
        var shapes = new List<SvgShape>();
        var labels = new List<SvgLabel>();
        for (var i = 0; i < counts.Count; i++)
        {
            var (name, count) = (ReviewerText.Neutralize(counts[i].Key, 40), counts[i].Value);
            var y = (i * RowHeight) + 4;
            var barWidth = Math.Max(2, count / (double)max * (Width - NameWidth - 60));
            shapes.Add(new SvgShape(NameWidth, y, barWidth, RowHeight - 6, "bar bar-0", string.Create(CultureInfo.InvariantCulture, $"{name}: {count}")));
            labels.Add(new SvgLabel(NameWidth - 8, y + 13, name, "end"));
            labels.Add(new SvgLabel(NameWidth + barWidth + 6, y + 13, count.ToString(CultureInfo.InvariantCulture), "start"));
        }

        return new SvgChart(Width, height, shapes, labels);
    }

    public static string Number(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}

/// <summary>A chart: its size, its bars and its text.</summary>
internal sealed record SvgChart(double Width, double Height, IReadOnlyList<SvgShape> Shapes, IReadOnlyList<SvgLabel> Labels);

/// <summary>A bar, with the tooltip that says what it counts.</summary>
internal sealed record SvgShape(double X, double Y, double Width, double Height, string CssClass, string Title);

/// <summary>A piece of text in a chart.</summary>
internal sealed record SvgLabel(double X, double Y, string Text, string Anchor);
