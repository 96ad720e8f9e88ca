import { and, eq, inArray, isNull, sql } from "drizzle-orm";
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
 * The page's rows, in the order of `ids`: one query over those ids alone (each member with their
 * grants, last sign-in and whether they have a second factor), whatever the size of the org. One
 * round trip rather than five, since on a busy machine the round trips were most of a page's time.
 */
export async function loadMemberColumns(db: Executor, orgId: string, ids: string[]): Promise<MemberRow[]> {
  if (ids.length === 0) return [];
  const joined = isNull(memberships.invitedEmail);
  const grantList = sql<string | GrantJson[] | null>`(
    select json_agg(json_build_object('grantId', ${grants.id}, 'roleId', ${roles.id}, 'role', ${roles.name}, 'branchId', ${grants.branchId}, 'branch', coalesce(${branches.name}, '(organization)')) order by ${roles.name}, ${grants.id})
    from ${grants} inner join ${roles} on ${roles.id} = ${grants.roleId} left join ${branches} on ${branches.id} = ${grants.branchId}
    where ${grants.membershipId} = ${memberships.id} and ${grants.orgId} = ${orgId})`;
  // A person's sign-ins and factors are shown only once they have joined (ADR 0008).
  const lastSignIn = sql<Date | null>`case when ${joined} then (select max(${sessions.createdAt}) from ${sessions} where ${sessions.userId} = ${memberships.userId}) end`.mapWith(sessions.createdAt);
  const hasFactor = sql<boolean | null>`case when ${joined} then (exists (select 1 from ${totpFactors} where ${totpFactors.userId} = ${memberships.userId} and ${totpFactors.confirmedAt} is not null) or exists (select 1 from ${webauthnCredentials} where ${webauthnCredentials.userId} = ${memberships.userId})) end`;
  const members = await db
    .select({ membershipId: memberships.id, email: memberEmail, name: memberName, status: memberships.status, source: memberships.source, createdAt: memberships.createdAt, grants: grantList, lastSignIn, hasFactor })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, orgId), inArray(memberships.id, ids)));
  const byId = new Map(members.map((m) => [m.membershipId, m]));
  return ids.flatMap((id) => {
    const m = byId.get(id);
    if (!m) return [];
    const held = typeof m.grants === "string" ? (JSON.parse(m.grants) as GrantJson[]) : (m.grants ?? []);
    const row: MemberRow = {
      membershipId: m.membershipId,
      email: m.email,
      name: m.name,
      status: m.status,
      source: m.source as MemberSource,
      createdAt: m.createdAt.toISOString(),
      grants: held,
      mfa: m.hasFactor === null ? null : m.hasFactor ? "on" : "off",
      lastSignInAt: m.lastSignIn ? new Date(m.lastSignIn).toISOString() : null,
    };
    return [row];
  });
}

type GrantJson = MemberGrantSummary;
