using Countersign.Policy;

namespace Countersign.Cli.Demo;

/// <summary>The policy the demo's agent runs under, written as a policy file would be.</summary>
internal static class DemoPolicy
{
    /// <summary>How long reviewers have for a production write; the demo's clock skips past it.</summary>
    public static readonly TimeSpan ProductionTimeout = TimeSpan.FromSeconds(30);

    public const string Yaml = """
        name: demo
        default_effect: require_approval
        default_timeout: 10m
        rules:
          - name: reads
            tool: "read_*"
            effect: allow
            risk_level: low
          - name: customer-email
            tool: send_email
            effect: require_approval
            risk_level: medium
          - name: customer-pii
            tool: lookup_customer
            effect: require_approval
            risk_level: high
            redact_fields: [ssn, card.number]
          - name: deletes
            tool: "delete_*"
            effect: require_approval
            risk_level: high
          - name: production-writes
            tool: write_production_config
            effect: require_approval
            risk_level: critical
            timeout: 30s
          - name: small-refunds
            tool: refund
            effect: allow
            risk_level: low
        """;

    public static ActionPolicy Load() => PolicyLoader.LoadYaml(Yaml, "demo-policy.yaml");
}
