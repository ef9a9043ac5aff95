using System.Globalization;
using System.Text;
using Countersign.Audit;

namespace Countersign.Cli.Audit;

/// <summary>
/// Writes audit records as RFC 4180 CSV. Stored text came from agents, so a cell that a spreadsheet would read as a
/// formula (starting with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab or carriage return) is prefixed with <c>'</c>.
/// </summary>
internal static class AuditCsvWriter
{
    public const string Header = "sequence,timestamp,kind,action_id,tool_name,agent_id,session_id,requested_by,verdict,mode,would_block,needed_approval,approved,approval_id,decision_source,actor,comment,reasons,execution_path,executed,denial_code,error,arguments_json,result_json,payload_hash,key_id,prev_mac,mac";

    public static void WriteRow(StringBuilder line, AuditRecord record)
    {
        var e = record.Entry;
        line.Append(record.Sequence.ToString(CultureInfo.InvariantCulture));
        Cell(line, e.Timestamp.ToString("O", CultureInfo.InvariantCulture));
        Cell(line, AuditLine.KindName(e.Kind));
        Cell(line, e.ActionId);
        Cell(line, e.ToolName);
        Cell(line, e.AgentId);
        Cell(line, e.SessionId);
        Cell(line, e.RequestedBy);
        Cell(line, e.Verdict);
        Cell(line, e.Mode);
        Cell(line, Flag(e.WouldBlock));
        Cell(line, Flag(e.NeededApproval));
        Cell(line, Flag(e.Approved));
        Cell(line, e.ApprovalId);
        Cell(line, e.DecisionSource);
        Cell(line, e.Actor);
        Cell(line, e.Comment);
        Cell(line, string.Join(" | ", e.Reasons));
        Cell(line, e.ExecutionPath);
        Cell(line, Flag(e.Executed));
        Cell(line, e.DenialCode);
        Cell(line, e.Error);
        Cell(line, e.ArgumentsJson);
        Cell(line, e.ResultJson);
        Cell(line, e.PayloadHash);
        Cell(line, record.KeyId);
        Cell(line, record.PreviousMac);
        Cell(line, record.Mac);
        line.Append('\n');
    }

    private static string? Flag(bool? value) => value switch
    {
        true => "true",
        false => "false",
        null => null,
    };

    private static void Cell(StringBuilder line, string? value)
    {
        line.Append(',');
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        var defuse = value[0] is '=' or '+' or '-' or '@' or '\t' or '\r';
        var quote = defuse || value.AsSpan().IndexOfAny(",\"\r\n") >= 0;
        if (!quote)
        {
            line.Append(value);
            return;
        }

        line.Append('"');
        if (defuse)
        {
            line.Append('\'');
        }

        line.Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }
}
