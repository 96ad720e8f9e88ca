import type { OrderDetail } from "@/lib/orders/schemas";
import { formatDateTime } from "@/components/format";

const labels: Record<string, string> = { pending: "Waiting", approved: "Approved", rejected: "Rejected", withdrawn: "Withdrawn" };

/** Who decided, when, by which rule and tier, with the comment; and what still waits. */
export function ApprovalHistory({ approvals, status }: { approvals: OrderDetail["approvals"]; status: string }) {
  return (
    <section aria-labelledby="approvals-heading">
      <h2 id="approvals-heading" className="text-lg font-medium">
        Approval history
      </h2>
      {approvals.length === 0 ? (
        <p className="mt-2 text-sm text-slate-600">{status === "draft" ? "Not submitted yet: the approval rules decide when it is." : "No approval rule applied to this order."}</p>
      ) : (
        <ol className="mt-2 space-y-2">
          {approvals.map((a) => (
            <li key={a.id} className="rounded-lg border border-slate-200 bg-white p-3 text-sm">
              <p className="font-medium">
                Tier {a.tier}
                {a.group > 1 ? `, group ${a.group}` : ""}: {a.roles.join(" or ")} <span className="text-slate-500">({a.rule})</span>
              </p>
              <p className="text-slate-700">
                {labels[a.status]}
                {a.decidedBy ? ` by ${a.decidedBy}` : ""}
                {a.decidedAt ? ` on ${formatDateTime(a.decidedAt)}` : a.waitingSince && a.status === "pending" ? ` since ${formatDateTime(a.waitingSince)}` : a.status === "pending" ? " (after the tier before it)" : ""}
                {a.escalations > 0 ? ` · escalated ${a.escalations}×` : ""}
              </p>
              {a.comment ? <p className="mt-1 text-slate-600">“{a.comment}”</p> : null}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
