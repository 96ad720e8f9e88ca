import { and, asc, eq } from "drizzle-orm";
import type { Db, Executor } from "@/db/client";
import { withTenantScope } from "@/db/tenant-scope";
import { memberships, organizations } from "@/db/schema";
import { loadAccess } from "@/lib/access/load-access";
import type { Actor, OrgRef, Principal, SessionAuth } from "@/lib/core/context";
import { textProblem } from "@/lib/core/input-rules";

/**
 * The principal for a person acting in the org named by `orgSlug`, or null when they are not an
 * active member there (callers answer 404, so a stranger learns nothing about the org).
 */
export async function loadMemberPrincipal(db: Db, actor: Actor & { userId: string }, orgSlug: string, session?: SessionAuth & { id: string }): Promise<Principal | null> {
  // The slug comes from the URL: one PostgreSQL cannot compare (NUL) names no organization.
  if (textProblem(orgSlug)) return null;
  // First as the user (their own memberships are visible across orgs), then inside the org.
  const [row] = await withTenantScope({ orgId: null, userId: actor.userId, bypass: false }, (tx) => findMembership(tx, actor.userId, orgSlug), db);
  if (!row) return null;
  return {
    actor,
    org: { id: row.orgId, slug: row.slug, name: row.name },
    membershipId: row.membershipId,
    access: await withTenantScope({ orgId: row.orgId, userId: actor.userId, bypass: false }, (tx) => loadAccess(tx, row.membershipId), db),
    ...(session ? { sessionId: session.id, sessionAuth: { reauthenticatedAt: session.reauthenticatedAt, mfaVerifiedAt: session.mfaVerifiedAt } } : {}),
  };
}

function findMembership(db: Executor, userId: string, orgSlug: string) {
  return db
    .select({ membershipId: memberships.id, orgId: organizations.id, slug: organizations.slug, name: organizations.name })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .where(and(eq(organizations.slug, orgSlug), eq(memberships.userId, userId), eq(memberships.status, "active")));
}

/** Organizations where the user is an active member, for the org switcher. */
export async function listMyOrganizations(db: Db, userId: string): Promise<OrgRef[]> {
  return withTenantScope({ orgId: null, userId, bypass: false }, (tx) => tx
    .select({ id: organizations.id, slug: organizations.slug, name: organizations.name })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .where(and(eq(memberships.userId, userId), eq(memberships.status, "active")))
    .orderBy(asc(organizations.name)), db);
}
