import { and, eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { memberships, users } from "@/db/schema";
import type { Principal } from "@/lib/core/context";
import { isUuid } from "@/lib/core/ids";
import { visibleMembersCondition } from "./list-members";
import { memberEmail, memberName } from "./member-display";
import { loadMemberColumns, type MemberRow } from "./member-columns";

export interface MemberDetail {
  membershipId: string;
  userId: string;
  email: string;
  name: string;
  status: "invited" | "active" | "deactivated";
  createdAt: string;
  isSelf: boolean;
}

/**
 * One member of the principal's org that they may read (users:read covering one of the member's
 * grants), or themselves. Null otherwise, so another org's member and a hidden one look alike.
 */
export async function getMember(db: Executor, principal: Principal, membershipId: string): Promise<MemberDetail | null> {
  const orgId = principal.org?.id;
  if (!orgId || !isUuid(membershipId)) return null;
  const isSelf = principal.membershipId === membershipId;
  const [row] = await db
    .select({ membershipId: memberships.id, userId: users.id, email: memberEmail, name: memberName, status: memberships.status, createdAt: memberships.createdAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, orgId), eq(memberships.id, membershipId), isSelf ? undefined : visibleMembersCondition(principal)));
  return row ? { ...row, createdAt: row.createdAt.toISOString(), isSelf } : null;
}

/** A member of the org by email (case-insensitive) that the principal may read, or null. */
export async function findVisibleMemberByEmail(db: Executor, principal: Principal, email: string): Promise<MemberDetail | null> {
  const orgId = principal.org?.id;
  if (!orgId) return null;
  const [row] = await db
    .select({ membershipId: memberships.id })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, orgId), eq(sql`lower(${users.email})`, email.trim().toLowerCase())));
  return row ? getMember(db, principal, row.membershipId) : null;
}

/** One member as the list shows them (grants, MFA, last sign-in), when the principal may read them; else null. */
export async function getMemberRow(db: Executor, principal: Principal, membershipId: string): Promise<MemberRow | null> {
  const member = await getMember(db, principal, membershipId);
  if (!member) return null;
  const [row] = await loadMemberColumns(db, principal.org!.id, [member.membershipId]);
  return row ?? null;
}
