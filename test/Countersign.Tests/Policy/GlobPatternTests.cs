using Countersign.Policy;

namespace Countersign.Tests.Policy;

public class GlobPatternTests
{
    [Theory]
    [InlineData("refund", "refund", true)]
    [InlineData("refund", "refunds", false)]
    [InlineData("refund", "Refund", false)]
    [InlineData("delete_*", "delete_user", true)]
    [InlineData("delete_*", "delete_", true)]
    [InlineData("delete_*", "undelete_user", false)]
    [InlineData("delete_*", "Delete_user", false)]
    [InlineData("*_prod", "deploy_prod", true)]
    [InlineData("*_prod", "deploy_production", false)]
    [InlineData("db_*_write", "db_users_write", true)]
    [InlineData("db_*_write", "db__write", true)]
    [InlineData("db_*_write", "db_write", false)]
    [InlineData("ops-bot-?", "ops-bot-1", true)]
    [InlineData("ops-bot-?", "ops-bot-12", false)]
    [InlineData("ops-bot-?", "ops-bot-", false)]
    [InlineData("a*b*c", "aXbYc", true)]
    [InlineData("a*b*c", "abc", true)]
    [InlineData("a*b*c", "acb", false)]
    [InlineData("a*?c", "abbbc", true)]
    [InlineData("a*?c", "ac", false)]
    [InlineData("*", "", true)]
    [InlineData("*", "anything", true)]
    [InlineData("**", "x", true)]
    [InlineData("?*", "", false)]
    public void Glob_matches_as_documented(string pattern, string name, bool expected)
    {
        Assert.Equal(expected, new GlobPattern(pattern).IsMatch(name));
    }

    [Theory]
    [InlineData("refund", true)]
    [InlineData("delete_*", false)]
    [InlineData("ops-bot-?", false)]
    public void Pattern_without_wildcards_is_exact(string pattern, bool exact)
    {
        Assert.Equal(exact, new GlobPattern(pattern).IsExact);
    }
}
