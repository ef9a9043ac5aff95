namespace Countersign.Policy;

/// <summary>
/// A tool or agent name pattern: an exact name, or a glob where <c>*</c> matches any run of characters (also none)
/// and <c>?</c> matches exactly one. Matching is ordinal and case-sensitive and never allocates.
/// </summary>
internal sealed class GlobPattern
{
    private readonly string _pattern;
    private readonly Shape _shape;
    private readonly string _prefix;
    private readonly string _suffix;

    public GlobPattern(string pattern)
    {
        _pattern = pattern;
        var firstWildcard = pattern.AsSpan().IndexOfAny('*', '?');
        IsExact = firstWildcard < 0;
        if (IsExact)
        {
            _shape = Shape.Exact;
            _prefix = pattern;
            _suffix = string.Empty;
            return;
        }

        var lastWildcard = pattern.AsSpan().LastIndexOfAny('*', '?');
        _prefix = pattern[..firstWildcard];
        _suffix = pattern[(lastWildcard + 1)..];
        var middle = pattern.AsSpan(firstWildcard, lastWildcard - firstWildcard + 1);
        _shape = middle.ContainsAnyExcept('*') ? Shape.General : Shape.PrefixStarSuffix;
    }

    /// <summary>Gets whether the pattern has no wildcard and so matches one name only.</summary>
    public bool IsExact { get; }

    /// <summary>Gets whether the pattern is exactly <c>*</c>, the fallback that matches every name.</summary>
    public bool IsMatchAll => _pattern == "*";

    public string Pattern => _pattern;

    public bool IsMatch(ReadOnlySpan<char> name)
    {
        switch (_shape)
        {
            case Shape.Exact:
                return name.SequenceEqual(_pattern);
            case Shape.PrefixStarSuffix:
                return name.Length >= _prefix.Length + _suffix.Length
                    && name.StartsWith(_prefix, StringComparison.Ordinal)
                    && name.EndsWith(_suffix, StringComparison.Ordinal);
            default:
                return name.StartsWith(_prefix, StringComparison.Ordinal)
                    && name.EndsWith(_suffix, StringComparison.Ordinal)
                    && MatchGeneral(_pattern, name);
        }
    }

    public override string ToString() => _pattern;

    // Greedy match that backtracks only to the most recent '*': linear in practice, O(n·m) at worst.
    private static bool MatchGeneral(ReadOnlySpan<char> pattern, ReadOnlySpan<char> name)
    {
        int p = 0, n = 0, starP = -1, starN = 0;
        while (n < name.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || (pattern[p] != '*' && pattern[p] == name[n])))
            {
                p++;
                n++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                starP = p++;
                starN = n;
            }
            else if (starP >= 0)
            {
                p = starP + 1;
                n = ++starN;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    private enum Shape
    {
        Exact,
        PrefixStarSuffix,
        General,
    }
}
