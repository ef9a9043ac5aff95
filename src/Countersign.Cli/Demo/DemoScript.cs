namespace Countersign.Cli.Demo;

/// <summary>The six actions of the guided demo, in order. The agent is scripted: no model, no API key.</summary>
internal static class DemoScript
{
    public const string Agent = "support-agent";

    public static IReadOnlyList<DemoStep> Create(string runId, Func<int> payRefund) =>
    [
        new DemoStep
        {
            Title = "An auto-approved read",
            Narration = "The agent reads an order. The policy rule 'reads' allows read_* tools, so it runs at once, and is still audited.",
            Request = Request("read_order", new { order_id = "ord_1001" }, "Look up an order"),
            Perform = () => "order ord_1001: 2 items, 40.00 USD, delivered",
        },
        new DemoStep
        {
            Title = "An email that needs approval",
            Narration = "The agent wants to email a customer. Rule 'customer-email' holds it until a human approves this exact payload.",
            Request = Request("send_email", new { to = "ana@example.com", subject = "Your refund", body = "We have refunded 40.00 USD to your card." }, "Tell the customer about the refund"),
            Perform = () => "email queued to ana@example.com",
            ScriptedAnswer = new DemoAnswer(DemoAnswerKind.Approve, "Wording is fine."),
        },
        new DemoStep
        {
            Title = "Customer data with redacted fields",
            Narration = "The agent looks a customer up, passing an SSN and a card number. Rule 'customer-pii' redacts both: the reviewer, the store and the audit log only ever see ***.",
            Request = Request("lookup_customer", new { customer_id = "cus_42", ssn = "078-05-1120", card = new { number = "4111 1111 1111 1111", expiry = "12/29" } }, "Verify the customer's identity"),
            Perform = () => "customer cus_42 verified",
            ScriptedAnswer = new DemoAnswer(DemoAnswerKind.Approve, "Identity check is expected here."),
            ShowStoredCopy = true,
        },
        new DemoStep
        {
            Title = "A delete the reviewer rejects",
            Narration = "The agent tries to delete a customer account. The reviewer denies it with a comment, and the agent receives that comment.",
            Request = Request("delete_account", new { account_id = "acc_77", reason = "customer asked to close it" }, "Close the customer's account"),
            Perform = () => "account acc_77 deleted",
            ScriptedAnswer = new DemoAnswer(DemoAnswerKind.Deny, "Closing is not deleting: use close_account so billing history is kept."),
        },
        new DemoStep
        {
            Title = "A production write nobody answers",
            Narration = $"The agent wants to change production configuration. Reviewers have {DemoPolicy.ProductionTimeout.TotalSeconds:0} seconds; nobody answers, and a timeout means deny. (The demo's clock skips ahead instead of making you wait.)",
            Request = Request("write_production_config", new { service = "payments", key = "max_retries", value = 0 }, "Stop payment retries"),
            Perform = () => "production config changed",
        },
        new DemoStep
        {
            Title = "A refund retried with the same idempotency key",
            Narration = "The agent refunds 40.00 USD, then - after a network hiccup - sends the very same refund again with the same idempotency key. Countersign recognises it and returns the first result instead of paying twice.",
            Request = Request("refund", new { order_id = "ord_1001", amount = 40.00m, currency = "USD" }, "Refund the order", idempotencyKey: $"refund-ord_1001-{runId}"),
            Perform = () => $"refund #{payRefund()} of 40.00 USD on ord_1001",
            RetriedByAgent = true,
        },
    ];

    private static ActionRequest Request(string tool, object arguments, string description, string? idempotencyKey = null) =>
        ActionRequest.Create(tool, arguments) with
        {
            AgentId = Agent,
            RequestedBy = Agent,
            Description = description,
            IdempotencyKey = idempotencyKey,
        };
}
