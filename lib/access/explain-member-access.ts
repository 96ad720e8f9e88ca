import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Executor } from "@/db/client";
import { memberships, users } from "@/db/schema";
import { findBranch } from "@/lib/branches/find-branch";
import { branchViewScope } from "@/lib/branches/list-branch-tree";
import type { Principal } from "@/lib/core/context";
import { ForbiddenError, NotFoundError } from "@/lib/core/errors";
import { getMember } from "@/lib/identity/get-member";
import { getOrder } from "@/lib/orders/get-order";
import { emailSchema } from "@/lib/identity/schemas";
import { can, scopeCovers, scopeOf, type Access } from "./access";
import { explain, type Explanation } from "./explain";
import { loadAccess } from "./load-access";
import { allPermissions, type Permission } from "./permissions";

export const explainRequestSchema = z
  .object({
    membershipId: z.uuid({ message: "must be a member id" }).optional(),
    email: emailSchema.optional(),
    permission: z.enum(allPermissions as [Permission, ...Permission[]], { message: "is not a known permission" }),
    branchId: z.uuid({ message: "must be a branch id" }).optional(),
    orderId: z.uuid({ message: "must be an order id" }).optional(),
  })
  .refine((r) => Boolean(r.membershipId) !== Boolean(r.email), { message: "give exactly one of membershipId and email", path: ["membershipId"] })
  .refine((r) => !(r.branchId && r.orderId), { message: "give a branch or an order, not both", path: ["orderId"] });
export type ExplainRequest = z.infer<typeof explainRequestSchema>;

export interface MemberAccessExplanation {
  member: { membershipId: string; email: string };
  target: { type: "organization" | "branch" | "order"; id: string | null; name: string };
  explanation: Explanation;
}

/**
 * explain() for any member of the principal's org on a target in that org. Looking at someone
 * else's access needs users:read over the target; everyone may explain their own access. It names
 * only what the asker may read: a branch outside their tree, or an order they could not open,
 * answers exactly like an unknown id, and another member's grants outside their users:read are
 * counted, not described.
 */
export async function explainMemberAccess(db: Executor, principal: Principal, input: ExplainRequest): Promise<MemberAccessExplanation> {
  const orgId = principal.org?.id;
  if (!orgId) throw new NotFoundError("Organization");
  const [member] = await db
    .select({ membershipId: memberships.id, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, orgId), input.membershipId ? eq(memberships.id, input.membershipId) : eq(sql`lower(${users.email})`, input.email!.toLowerCase())));
  if (!member) throw new NotFoundError("Member");

  let target: MemberAccessExplanation["target"] = { type: "organization", id: null, name: principal.org!.name };
  let branchPath = "";
  if (input.branchId) {
    const branch = await findBranch(db, orgId, input.branchId);
    if (!branch || !mayReadBranch(principal.access, branch.path)) throw new NotFoundError("Branch");
    target = { type: "branch", id: branch.id, name: branch.name };
    branchPath = branch.path;
  } else if (input.orderId) {
    // The rule of GET /orders/{id}: an order the asker could not open is not there.
    const order = await getOrder(db, principal, input.orderId);
    const branch = order ? await findBranch(db, orgId, order.branchId) : null;
    if (!order || !branch) throw new NotFoundError("Order");
    target = { type: "order", id: order.id, name: `Order ${order.number} (${branch.name})` };
    branchPath = branch.path;
  }
  const self = member.membershipId === principal.membershipId;
  // Only a member the caller could see on the Users page: explaining must not reveal anyone else.
  if (!self && !(await getMember(db, principal, member.membershipId))) throw new NotFoundError("Member");
  if (!self && !can(principal.access, "users:read", branchPath)) throw new ForbiddenError("Explaining another member's access needs users:read over the target.", "users:read");
  const access = self ? principal.access : await loadAccess(db, member.membershipId);
  // The member's grants as the Users page shows them to the asker: within their users:read.
  const readsGrants = scopeOf(principal.access, "users:read");
  const mayRead = self ? undefined : (g: { branchPath: string }) => scopeCovers(readsGrants, g.branchPath);
  return { member, target, explanation: explain(access, input.permission, branchPath, { mayRead }) };
}

/** A branch the asker may name: in the tree they see, or where they read members (and so their grants). */
function mayReadBranch(access: Access, path: string): boolean {
  return scopeCovers(branchViewScope(access), path) || scopeCovers(scopeOf(access, "users:read"), path);
}
