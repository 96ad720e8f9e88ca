import { and, eq, inArray } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { memberships, ssoPolicies, users } from "@/db/schema";
import { can } from "@/lib/access/access";
import type { Principal } from "@/lib/core/context";
import { ForbiddenError } from "@/lib/core/errors";

/** The org's "Require SSO" setting and its break-glass members' emails (sso:manage at the root). */
export async function getSsoPolicy(tx: Executor, principal: Principal): Promise<{ requireSso: boolean; breakGlass: string[] }> {
  const orgId = principal.org?.id;
  if (!orgId || !can(principal.access, "sso:manage", "")) throw new ForbiddenError(undefined, "sso:manage");
  const [policy] = await tx.select().from(ssoPolicies).where(eq(ssoPolicies.orgId, orgId));
  if (!policy) return { requireSso: false, breakGlass: [] };
  const ids = policy.breakGlassUserIds.slice(0, 10);
  const people = ids.length
    ? await tx
        .select({ email: users.email })
        .from(users)
        .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.orgId, orgId)))
        .where(inArray(users.id, ids))
    : [];
  return { requireSso: policy.requireSso, breakGlass: people.map((p) => p.email).sort() };
}
