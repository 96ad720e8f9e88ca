import type { Executor } from "@/db/client";
import { explainMemberAccess, explainRequestSchema, type MemberAccessExplanation } from "@/lib/access/explain-member-access";
import type { Principal } from "@/lib/core/context";
import { ForbiddenError, NotFoundError } from "@/lib/core/errors";
import { findVisibleMemberByEmail } from "@/lib/identity/get-member";

export type ExplainOutcome = { kind: "empty" } | { kind: "problem"; messages: string[] } | { kind: "result"; result: MemberAccessExplanation };

/**
 * The explorer's question from the query string, answered with explain(). The member must be one
 * the viewer may read (or the viewer), so the explorer reveals no one the Users page would not;
 * explainMemberAccess then requires users:read over the target, and loads a target order within
 * the org only.
 */
export async function runExplain(db: Executor, principal: Principal, raw: { email?: string; permission?: string; branch?: string; order?: string }): Promise<ExplainOutcome> {
  if (!raw.email && !raw.permission) return { kind: "empty" };
  const parsed = explainRequestSchema.safeParse({ email: raw.email, permission: raw.permission, branchId: raw.branch || undefined, orderId: raw.order?.trim() || undefined });
  if (!parsed.success) return { kind: "problem", messages: parsed.error.issues.map((i) => `${labelOf(String(i.path[0] ?? ""))} ${i.message}`) };
  const member = await findVisibleMemberByEmail(db, principal, parsed.data.email!);
  if (!member) return { kind: "problem", messages: ["No member with that email that you may read. Reading another member's access needs users:read covering them."] };
  try {
    const result = await explainMemberAccess(db, principal, { membershipId: member.membershipId, permission: parsed.data.permission, branchId: parsed.data.branchId, orderId: parsed.data.orderId });
    return { kind: "result", result };
  } catch (error) {
    if (error instanceof NotFoundError || error instanceof ForbiddenError) return { kind: "problem", messages: [error.message] };
    throw error;
  }
}

function labelOf(field: string): string {
  return { email: "Member email", membershipId: "Member email", permission: "Permission", branchId: "Branch", orderId: "Order id" }[field] ?? "Input";
}
