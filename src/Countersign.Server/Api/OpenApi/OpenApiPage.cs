using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;

namespace Countersign.Server.Api.OpenApi;

/// <summary>
/// A browsable page of the API at <c>/openapi</c>: every <c>/v1/</c> route with its method, summary and policy, and a
/// link to the OpenAPI document. Rendered on the server from the endpoint metadata; no script, no external assets.
/// </summary>
internal static class OpenApiPage
{
    public static IResult Render(EndpointDataSource endpoints)
    {
        var rows = endpoints.Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/v1", StringComparison.Ordinal) == true)
            .Select(e => (
                Path: e.RoutePattern.RawText!,
                Method: string.Join(", ", e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []),
                Summary: e.Metadata.GetMetadata<IEndpointSummaryMetadata>()?.Summary ?? string.Empty,
                Policy: string.Join(", ", e.Metadata.GetOrderedMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>().Select(a => a.Policy).OfType<string>())))
            .OrderBy(r => r.Path, StringComparer.Ordinal)
            .ThenBy(r => r.Method, StringComparer.Ordinal);

        var html = new StringBuilder("""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Countersign API</title>
            <style>body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}code{font-size:.95em}</style>
            </head><body><h1>Countersign API v1</h1>
            <p>Machine-readable document: <a href="/openapi/v1.json">/openapi/v1.json</a>. Signing scheme and examples: docs/server.md.</p>
            <table><thead><tr><th>Method</th><th>Path</th><th>Who</th><th>What</th></tr></thead><tbody>
            """);
        foreach (var row in rows)
        {
            html.Append("<tr><td>").Append(WebUtility.HtmlEncode(row.Method))
                .Append("</td><td><code>").Append(WebUtility.HtmlEncode(row.Path))
                .Append("</code></td><td>").Append(WebUtility.HtmlEncode(row.Policy.Replace("Countersign.", string.Empty, StringComparison.Ordinal)))
                .Append("</td><td>").Append(WebUtility.HtmlEncode(row.Summary)).Append("</td></tr>\n");
        }

        html.Append("</tbody></table></body></html>\n");
        return TypedResults.Content(html.ToString(), "text/html; charset=utf-8");
    }
}
