import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Executor, Tx } from "@/db/client";
import { branches, grants, memberships, users } from "@/db/schema";
import { can, permissionsAt } from "@/lib/access/access";
import type { Principal } from "@/lib/core/context";
import { ForbiddenError, HiddenTargetError, NotFoundError } from "@/lib/core/errors";
import { isUuid } from "@/lib/core/ids";
import { orgOwnsAccount } from "./account-ownership";
import { memberEmail, memberName } from "./member-display";

export interface MemberTarget {
  membershipId: string;
  userId: string;
  /** As the org may show them (member-display.ts): what the inviter typed, until the person joins. */
  email: string;
  name: string;
  status: "invited" | "active" | "deactivated";
  /** The person accepted this membership (or the operator created it active); false while it is only an invitation. */
  joined: boolean;
  // The two facts below belong to the person, not to the membership: read them only for an org
  // that may reach the account (assertReachesAccount), or for one the person has joined.
  userDisabled: boolean;
  /** False until they accept an invitation (or the operator set one). */
  hasPassword: boolean;
  /** Where the member holds roles ("" = the org root); an org-level target when they hold none. */
  branchPaths: string[];
  /** The member's one branch when all their grants sit at one, for filtering the audit trail. */
  branchId: string | null;
}

/** A member of this org with the branches of their grants, or NotFound (never another org's). */
export async function loadMemberTarget(db: Executor, orgId: string, membershipId: string): Promise<MemberTarget> {
  if (!isUuid(membershipId)) throw new NotFoundError("Member");
  const [row] = await db
    .select({
      membershipId: memberships.id,
      userId: users.id,
      email: memberEmail,
      name: memberName,
      status: memberships.status,
      invitedEmail: memberships.invitedEmail,
      disabledAt: users.disabledAt,
      passwordHash: users.passwordHash,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, orgId), eq(memberships.id, membershipId)));
  if (!row) throw new NotFoundError("Member");
  const held = await db
    .select({ branchId: grants.branchId, path: branches.path })
    .from(grants)
    .leftJoin(branches, eq(branches.id, grants.branchId))
    .where(and(eq(grants.orgId, orgId), eq(grants.membershipId, membershipId)));
  const branchPaths = held.length ? [...new Set(held.map((g) => g.path ?? ""))] : [""];
  const branchIds = [...new Set(held.map((g) => g.branchId))];
  const { disabledAt, passwordHash, invitedEmail, ...member } = row;
  return { ...member, joined: invitedEmail === null, userDisabled: disabledAt !== null, hasPassword: passwordHash !== null, branchPaths, branchId: branchIds.length === 1 ? branchIds[0]! : null };
}

/**
 * Managing a person's sign-in (reset, sessions, deactivation) needs users:manage over every
 * branch where they hold a role: a regional manager cannot lock out the org's administrator by
 * way of the one branch grant they share. A member the actor cannot see at any of their
 * branches answers "not found", like one that does not exist.
 */
export function authorizeMemberChange(principal: Principal, member: MemberTarget): void {
  if (member.branchPaths.every((path) => can(principal.access, "users:manage", path))) return;
  const visible = member.branchPaths.some((path) => {
    const held = permissionsAt(principal.access, path);
    return held === "all" || held.size > 0;
  });
  if (!visible) throw new HiddenTargetError("Member", "users:manage");
  throw new ForbiddenError("Managing this member needs users:manage at every branch where they hold a role.", "users:manage");
}

/** The input of every command that acts on one member's sign-in. */
export const memberTargetSchema = z.object({ membershipId: z.string().max(100) });

/**
 * The member of the principal's org a command acts on, once the principal may manage their
 * sign-in (authorizeMemberChange); otherwise not found or forbidden.
 */
export async function loadManagedMember(tx: Tx, principal: Principal, membershipId: string): Promise<MemberTarget> {
  if (!principal.org) throw new NotFoundError("Organization");
  const member = await loadMemberTarget(tx, principal.org.id, membershipId);
  authorizeMemberChange(principal, member);
  return member;
}

/**
 * Whether the principal may reach what belongs to the person rather than to this membership:
 * their sessions in every org, a password reset, their second-factor block and other global
 * facts. Only an org that owns the account may (account-ownership.ts); the operator, who runs the
 * host and its database, always may.
 */
export async function mayReachAccount(tx: Executor, principal: Principal, userId: string): Promise<boolean> {
  if (principal.actor.type === "system") return true;
  return principal.org ? orgOwnsAccount(tx, principal.org.id, userId) : false;
}

/** Refuses (403, recorded as a denial) a person-global action by an org that does not own the account. */
export async function assertReachesAccount(tx: Executor, principal: Principal, member: MemberTarget, refusal: string): Promise<void> {
  if (await mayReachAccount(tx, principal, member.userId)) return;
  throw new ForbiddenError(`Only an organization that has verified this person's email domain can ${refusal}`);
}
