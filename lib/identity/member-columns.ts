import { and, asc, eq, inArray, isNotNull, isNull, max } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { branches, grants, memberships, roles, sessions, totpFactors, users, webauthnCredentials } from "@/db/schema";
import { memberEmail, memberName } from "./member-display";

export interface MemberGrantSummary {
  grantId: string;
  roleId: string;
  role: string;
  branchId: string | null;
  /** "(organization)" for the org root. */
  branch: string;
}

/** What the Users page shows of a member besides email, name and status. */
export interface MemberColumns {
  grants: MemberGrantSummary[];
  /** Null until the person has joined: an invitation must not reveal an existing account's facts (ADR 0008). */
  mfa: "on" | "off" | null;
  lastSignInAt: string | null;
  createdAt: string;
}

export const MEMBER_SOURCES = ["manual", "invitation", "import", "scim", "sso"] as const;
export type MemberSource = (typeof MEMBER_SOURCES)[number];

export type MemberRow = { membershipId: string; email: string; name: string; status: "invited" | "active" | "deactivated"; source: MemberSource } & MemberColumns;

/**
 * The page's rows, in the order of `ids`: three queries over those ids alone (the members, their
 * grants, their factors and last sign-in), whatever the size of the org.
 */
export async function loadMemberColumns(db: Executor, orgId: string, ids: string[]): Promise<MemberRow[]> {
  if (ids.length === 0) return [];
  const members = await db
    .select({ membershipId: memberships.id, userId: memberships.userId, joined: isNull(memberships.invitedEmail), email: memberEmail, name: memberName, status: memberships.status, source: memberships.source, createdAt: memberships.createdAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, orgId), inArray(memberships.id, ids)));
  const held = await db
    .select({ membershipId: grants.membershipId, grantId: grants.id, roleId: roles.id, role: roles.name, branchId: grants.branchId, branch: branches.name })
    .from(grants)
    .innerJoin(roles, eq(roles.id, grants.roleId))
    .leftJoin(branches, eq(branches.id, grants.branchId))
    .where(and(eq(grants.orgId, orgId), inArray(grants.membershipId, ids)))
    .orderBy(asc(roles.name), asc(grants.id));
  const joinedUsers = members.filter((m) => m.joined).map((m) => m.userId);
  const [signIns, totp, passkeys] = joinedUsers.length
    ? await Promise.all([
        db.select({ userId: sessions.userId, at: max(sessions.createdAt) }).from(sessions).where(inArray(sessions.userId, joinedUsers)).groupBy(sessions.userId),
        db.select({ userId: totpFactors.userId }).from(totpFactors).where(and(inArray(totpFactors.userId, joinedUsers), isNotNull(totpFactors.confirmedAt))),
        db.selectDistinct({ userId: webauthnCredentials.userId }).from(webauthnCredentials).where(inArray(webauthnCredentials.userId, joinedUsers)),
      ])
    : [[], [], []];
  const lastSignIn = new Map(signIns.map((s) => [s.userId, s.at]));
  const withFactor = new Set([...totp, ...passkeys].map((f) => f.userId));
  const byId = new Map(members.map((m) => [m.membershipId, m]));
  return ids.flatMap((id) => {
    const m = byId.get(id);
    if (!m) return [];
    const row: MemberRow = {
      membershipId: m.membershipId,
      email: m.email,
      name: m.name,
      status: m.status,
      source: m.source as MemberSource,
      createdAt: m.createdAt.toISOString(),
      grants: held.filter((g) => g.membershipId === id).map((g) => ({ grantId: g.grantId, roleId: g.roleId, role: g.role, branchId: g.branchId, branch: g.branch ?? "(organization)" })),
      mfa: m.joined ? (withFactor.has(m.userId) ? "on" : "off") : null,
      lastSignInAt: m.joined ? (lastSignIn.get(m.userId)?.toISOString() ?? null) : null,
    };
    return [row];
  });
}
