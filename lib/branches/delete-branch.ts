import { and, count, eq, sql } from "drizzle-orm";
import { can } from "@/lib/access/access";
import { approvalRules, branchAddresses, branches, grants, orders, ssoConnections, ssoMappings } from "@/db/schema";
import type { Tx } from "@/db/client";
import { defineCommand, notFound } from "@/lib/core/command";
import { ConflictError, ForbiddenError } from "@/lib/core/errors";
import { findBranch, type BranchRow } from "./find-branch";
import { deleteBranchSchema } from "./schemas";

/**
 * Deletes an empty branch; needs branches:manage at its parent (the org level for a top-level
 * branch), since removing a part of the tree changes the parent's subtree. Refused, with the
 * reason, while anything still hangs on it: children, grants (members' access), orders, approval
 * rules, or SSO mapping rules and default branches (which would otherwise be dropped or cleared
 * in silence by their foreign keys). Its addresses go with it: only the branch's own orders can
 * use them, and orders keep their own copy.
 */
export const deleteBranchCommand = defineCommand({
  name: "branch.deleted",
  description: "An empty branch was removed from the tree (no children, grants, orders, approval rules or SSO rules); its name, parent and removed addresses are in the metadata.",
  access: { permission: "branches:manage" },
  input: deleteBranchSchema,
  async run({ tx, principal, authorize }, input) {
    const orgId = principal.org?.id ?? notFound("Organization");
    const found = (await findBranch(tx, orgId, input.branchId)) ?? notFound("Branch");
    const parent = found.parentId ? await findBranch(tx, orgId, found.parentId) : null;
    // A branch the actor cannot see answers "not found"; one they see but may not remove, 403.
    authorize("branches:manage", found.path);
    // Seen at the branch but not held at its parent is a refusal (403), not a hidden target.
    if (!can(principal.access, "branches:manage", parent?.path ?? "")) {
      throw new ForbiddenError(`Deleting ${found.name} needs branches:manage at ${parent ? parent.name : "the organization level"}, the part of the tree it is removed from.`, "branches:manage");
    }
    // Row lock first: an insert that references the branch (a child, grant, order, rule) takes a
    // key-share lock on it, so it waits for this transaction, and whatever committed before is
    // visible to the checks below.
    const branch = await lockBranch(tx, orgId, found.id);
    const blockers = await findBlockers(tx, orgId, branch);
    if (blockers.length > 0) throw new ConflictError(`${branch.name} cannot be deleted: it still has ${joinList(blockers)}. Move or remove ${blockers.length === 1 ? "it" : "them"} first.`);
    const removed = await tx.delete(branchAddresses).where(and(eq(branchAddresses.orgId, orgId), eq(branchAddresses.branchId, branch.id))).returning({ label: branchAddresses.label });
    await tx.delete(branches).where(and(eq(branches.orgId, orgId), eq(branches.id, branch.id)));
    return {
      result: { id: branch.id, name: branch.name, parentId: branch.parentId },
      target: { type: "branch", id: branch.id, label: branch.name },
      branchId: branch.parentId,
      metadata: { before: { name: branch.name, parentId: branch.parentId }, addressesRemoved: removed.map((a) => a.label) },
    };
  },
});

async function lockBranch(tx: Tx, orgId: string, branchId: string): Promise<BranchRow> {
  const [row] = await tx.select().from(branches).where(and(eq(branches.orgId, orgId), eq(branches.id, branchId))).for("update");
  return row ?? notFound("Branch");
}

/** What still hangs on the branch, in words ("2 child branches", "orders"); each check is one indexed probe. */
async function findBlockers(tx: Tx, orgId: string, branch: BranchRow): Promise<string[]> {
  const exists = (q: Promise<Array<{ n: number }>>) => q.then((rows) => Number(rows[0]?.n ?? 0));
  const [children, grantCount, orderCount, rules, mappings, defaults] = await Promise.all([
    exists(tx.select({ n: count() }).from(branches).where(and(eq(branches.orgId, orgId), eq(branches.parentId, branch.id)))),
    exists(tx.select({ n: count() }).from(grants).where(and(eq(grants.orgId, orgId), eq(grants.branchId, branch.id)))),
    // Orders can be millions: ask only whether one exists (orders_branch_placed_idx).
    exists(tx.select({ n: sql<number>`1` }).from(orders).where(and(eq(orders.orgId, orgId), eq(orders.branchId, branch.id))).limit(1)),
    exists(tx.select({ n: count() }).from(approvalRules).where(and(eq(approvalRules.orgId, orgId), eq(approvalRules.branchId, branch.id)))),
    exists(tx.select({ n: count() }).from(ssoMappings).where(and(eq(ssoMappings.orgId, orgId), eq(ssoMappings.branchId, branch.id)))),
    exists(tx.select({ n: count() }).from(ssoConnections).where(and(eq(ssoConnections.orgId, orgId), eq(ssoConnections.defaultBranchId, branch.id)))),
  ]);
  const out: string[] = [];
  if (children) out.push(plural(children, "child branch", "child branches"));
  if (grantCount) out.push(`${plural(grantCount, "grant", "grants")} (members' access there)`);
  if (orderCount) out.push("orders");
  if (rules) out.push(plural(rules, "approval rule", "approval rules"));
  if (mappings) out.push(plural(mappings, "SSO mapping rule", "SSO mapping rules"));
  if (defaults) out.push("an SSO connection that places new members there");
  return out;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function joinList(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}
