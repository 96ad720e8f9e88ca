import { and, asc, eq, sql } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { withTenantScope } from "@/db/tenant-scope";
import { memberships, organizations } from "@/db/schema";
import { accessFromJson, type AccessJson } from "@/lib/access/access-from-rows";
import type { Actor, OrgRef, Principal, SessionAuth } from "@/lib/core/context";
import { UnauthorizedError } from "@/lib/core/errors";
import { isUuidText, textProblem } from "@/lib/core/input-rules";
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
  const row = await findMemberPrincipal(db, actor.userId, orgSlug, session?.id ?? null);
  if (!row) return null;
  if (row.sessionEnded) throw new OrgSessionEndedError();
  const access = accessFromJson(row.access);
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

interface MemberPrincipalJson {
  membershipId: string;
  orgId: string;
  slug: string;
  name: string;
  requireMfa: boolean;
  sessionEnded: boolean;
  access: AccessJson;
}

/**
 * The membership, the org and the member's access in one statement, outside any transaction:
 * countersign_member_principal (migration 0016) reads only this person's membership in the org
 * with this slug, then that org's grants and roles. The session check compares in the database,
 * to the microsecond: a session opened after the org ended the member's sessions is accepted.
 */
async function findMemberPrincipal(db: Db, userId: string, orgSlug: string, sessionId: string | null): Promise<MemberPrincipalJson | null> {
  const [row] = await db.execute<{ principal: MemberPrincipalJson | null }>(
    sql`select countersign_member_principal(${userId}::uuid, ${orgSlug}, ${isUuidText(sessionId) ? sessionId : null}::uuid) as principal`,
  );
  return row?.principal ?? null;
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
