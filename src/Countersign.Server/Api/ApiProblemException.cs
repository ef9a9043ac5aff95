namespace Countersign.Server.Api;

/// <summary>A request the API refuses with a 4xx problem+json answer; turned into one by <see cref="ApiProblemFilter"/>.</summary>
internal sealed class ApiProblemException : Exception
{
    public ApiProblemException(int status, string title, string detail)
        : base(detail)
    {
        Status = status;
        Title = title;
    }

    public int Status { get; }

    public string Title { get; }
}
