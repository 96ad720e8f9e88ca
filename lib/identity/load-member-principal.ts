import { and, asc, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { memberships, organizations } from "@/db/schema";
import { loadAccess } from "@/lib/access/load-access";
import type { Actor, OrgRef, Principal } from "@/lib/core/context";

/**
 * The principal for a person acting in the org named by `orgSlug`, or null when they are not an
 * active member there (callers answer 404, so a stranger learns nothing about the org).
 */
export async function loadMemberPrincipal(db: Executor, actor: Actor & { userId: string }, orgSlug: string, sessionId?: string): Promise<Principal | null> {
  const [row] = await db
    .select({ membershipId: memberships.id, orgId: organizations.id, slug: organizations.slug, name: organizations.name })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .where(and(eq(organizations.slug, orgSlug), eq(memberships.userId, actor.userId), eq(memberships.status, "active")));
  if (!row) return null;
  return {
    actor,
    org: { id: row.orgId, slug: row.slug, name: row.name },
    membershipId: row.membershipId,
    access: await loadAccess(db, row.membershipId),
    sessionId,
  };
}

/** Organizations where the user is an active member, for the org switcher. */
export async function listMyOrganizations(db: Executor, userId: string): Promise<OrgRef[]> {
  return db
    .select({ id: organizations.id, slug: organizations.slug, name: organizations.name })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .where(and(eq(memberships.userId, userId), eq(memberships.status, "active")))
    .orderBy(asc(organizations.name));
}
