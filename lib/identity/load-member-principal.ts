import { and, asc, eq, sql } from "drizzle-orm";
import { getDb, type Db, type Executor } from "@/db/client";
import { withTenantScope } from "@/db/tenant-scope";
import { memberships, organizations, sessions } from "@/db/schema";
import { loadAccess } from "@/lib/access/load-access";
import type { Actor, OrgRef, Principal, SessionAuth } from "@/lib/core/context";
import { UnauthorizedError } from "@/lib/core/errors";
import { textProblem } from "@/lib/core/input-rules";
import { isMfaDueIn } from "./mfa-policy";

/**
 * The org ended this member's sessions (or deactivated them) after this session began: it is not
 * accepted in that org until the person signs in again, and keeps working in their other orgs.
 */
export class OrgSessionEndedError extends UnauthorizedError {
  constructor() {
    super("An administrator of this organization ended your session here. Sign in again to continue.");
  }
}

/**
 * The principal for a person acting in the org named by `orgSlug`, or null when they are not an
 * active member there (callers answer 404, so a stranger learns nothing about the org). With the
 * request's session, throws OrgSessionEndedError when the org ended the member's sessions after
 * that session began.
 */
export async function loadMemberPrincipal(db: Db, actor: Actor & { userId: string }, orgSlug: string, session?: SessionAuth & { id: string }): Promise<Principal | null> {
  // The slug comes from the URL: one PostgreSQL cannot compare (NUL) names no organization.
  if (textProblem(orgSlug)) return null;
  // First as the user (their own memberships are visible across orgs), then inside the org.
  const [row] = await withTenantScope({ orgId: null, userId: actor.userId, bypass: false }, (tx) => findMembership(tx, actor.userId, orgSlug, session?.id ?? null), db);
  if (!row) return null;
  if (row.sessionEnded) throw new OrgSessionEndedError();
  const access = await withTenantScope({ orgId: row.orgId, userId: actor.userId, bypass: false }, (tx) => loadAccess(tx, row.membershipId), db);
  return {
    actor,
    org: { id: row.orgId, slug: row.slug, name: row.name },
    membershipId: row.membershipId,
    access,
    // From the rows just read, so the page loader's MFA-due check costs no query.
    mfaDue: isMfaDueIn(access, row.requireMfa),
    ...(session ? { sessionId: session.id, sessionAuth: { reauthenticatedAt: session.reauthenticatedAt, mfaVerifiedAt: session.mfaVerifiedAt } } : {}),
  };
}

/** A signed-in person's session, as the pages and route handlers hold it. */
export interface SignedInSession {
  userId: string;
  email: string;
  sessionId: string;
  sessionAuth: SessionAuth;
}

/** loadMemberPrincipal for a request's signed-in person and session: how pages and handlers call it. */
export function loadSessionPrincipal(session: SignedInSession, orgSlug: string, db: Db = getDb()): Promise<Principal | null> {
  return loadMemberPrincipal(db, { type: "user", userId: session.userId, label: session.email }, orgSlug, { id: session.sessionId, ...session.sessionAuth });
}

function findMembership(db: Executor, userId: string, orgSlug: string, sessionId: string | null) {
  // Compared in the database, to the microsecond: a session opened after the org ended the
  // member's sessions (a new sign-in) is accepted again.
  const sessionEnded = sessionId
    ? sql<boolean>`(${memberships.sessionsRevokedAt} is not null and not exists (select 1 from ${sessions} where ${sessions.id} = ${sessionId} and ${sessions.createdAt} > ${memberships.sessionsRevokedAt}))`
    : sql<boolean>`false`;
  return db
    .select({ membershipId: memberships.id, orgId: organizations.id, slug: organizations.slug, name: organizations.name, requireMfa: organizations.requireMfa, sessionEnded })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .where(and(eq(organizations.slug, orgSlug), eq(memberships.userId, userId), eq(memberships.status, "active")));
}

/** Organizations where the user is an active member, for the org switcher. */
export async function listMyOrganizations(userId: string, db: Db = getDb()): Promise<OrgRef[]> {
  return withTenantScope({ orgId: null, userId, bypass: false }, (tx) => tx
    .select({ id: organizations.id, slug: organizations.slug, name: organizations.name })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .where(and(eq(memberships.userId, userId), eq(memberships.status, "active")))
    .orderBy(asc(organizations.name)), db);
}
