import { and, eq, isNull, ne, sql } from "drizzle-orm";
import { memberships, scimUsers, users } from "@/db/schema";
import type { CommandContext } from "@/lib/core/command";
import type { CommandTx } from "@/lib/core/command-tx";
import { orgOwnsDomain } from "@/lib/identity/account-ownership";
import { emailDomain } from "@/lib/identity/email-domain";
import { deactivateMembership } from "@/lib/identity/member-status";
import { issueInvitation } from "@/lib/identity/resend-invitation";
import type { PendingMail } from "@/lib/identity/request-password-reset";
import { chooseSignInEmail, type ScimUserFacts } from "./user-facts";

export interface LinkedMember {
  userId: string;
  membershipId: string;
  signInEmail: string | null;
  /** managed: an account at a domain the org owns (or a new SSO-only one); invited: the person must accept. */
  kind: "managed" | "invited";
  status: "active" | "invited" | "deactivated";
  invitation: PendingMail | null;
}

// An address that can never receive mail (RFC 2606 .invalid) for a person without a usable one:
// the account exists for the membership, grants and audit, and signs in through SSO only.
const ssoOnlyEmail = (scimUserId: string) => `scim.${scimUserId}@sso-only.invalid`;

/**
 * The account and membership behind a new SCIM User (ADR 0025, issue 12 items 5 and 6). Keyed by
 * the SCIM id, never the email: the sign-in email is the primary work email when it is a valid
 * address that no other SCIM User of this org already signs in with. At a domain the org owns,
 * SCIM manages the account (created, or the existing one, which the org owns) and the membership
 * is active at once. Elsewhere the membership is only invited: the person accepts (choosing a
 * password, or signed in as themselves), so SCIM never takes over an account the org does not own.
 */
export async function linkScimMember(ctx: CommandContext, orgId: string, scimUserId: string, facts: ScimUserFacts, alongside?: Promise<unknown>): Promise<LinkedMember> {
  const { tx, principal } = ctx;
  const candidate = chooseSignInEmail(facts);
  // Independent reads, sent together in one round trip (postgres.js pipelines a transaction's
  // queries), with the caller's own check (`alongside`: userName free) before anything is written.
  const [taken, ownedDomain, [found]] = await Promise.all([
    candidate ? emailTakenByAnotherScimUser(tx, orgId, scimUserId, candidate) : false,
    candidate ? orgOwnsDomain(tx, orgId, emailDomain(candidate)) : false,
    candidate ? tx.select({ id: users.id }).from(users).where(eq(sql`lower(${users.email})`, candidate.toLowerCase())) : [],
    alongside,
  ]);
  const email = taken ? null : candidate;
  const owned = email ? ownedDomain : false;
  const existingUser = email ? found : undefined;
  const kind: LinkedMember["kind"] = !email || owned ? "managed" : "invited";
  if (!existingUser) return linkNewAccount(ctx, orgId, scimUserId, facts, { email, kind });
  const userId = existingUser.id;
  const [existing] = existingUser
    ? await tx.select({ id: memberships.id, status: memberships.status, invitedEmail: memberships.invitedEmail }).from(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)))
    : [];
  let membershipId: string;
  let status: LinkedMember["status"];
  if (existing) {
    membershipId = existing.id;
    // An active or invited member stays as they are; one deactivated comes back as SCIM's kind says.
    status = existing.status === "deactivated" ? (kind === "managed" || existing.invitedEmail === null ? "active" : "invited") : existing.status;
    if (status !== existing.status) await tx.update(memberships).set({ status }).where(eq(memberships.id, membershipId));
  } else {
    status = kind === "managed" ? "active" : "invited";
    const invitedAs = status === "invited" ? { invitedEmail: email, invitedName: facts.name } : {};
    const [row] = await tx.insert(memberships).values({ orgId, userId, status, source: "scim", ...invitedAs }).returning({ id: memberships.id });
    membershipId = row!.id;
  }
  const invitation = status === "invited" && email && !existing ? await issueInvitation(tx, principal, { userId, membershipId, email }) : null;
  if (!facts.active) {
    await deactivateMembership(tx, orgId, { membershipId });
    status = "deactivated";
  }
  // Stored lower-cased (scim_users.sign_in_email), so the shared-mailbox check is one index lookup.
  return { userId, membershipId, signInEmail: email?.toLowerCase() ?? null, kind, status, invitation };
}

/** Another live SCIM User of this org already signs in with this address (a shared mailbox). */
async function emailTakenByAnotherScimUser(tx: CommandTx, orgId: string, scimUserId: string, email: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: scimUsers.id })
    .from(scimUsers)
    .where(and(eq(scimUsers.orgId, orgId), isNull(scimUsers.deletedAt), eq(scimUsers.signInEmail, email.toLowerCase()), ne(scimUsers.id, scimUserId)));
  return Boolean(row);
}

/**
 * Applies SCIM's `active` to the membership: false deactivates it, ending its sessions here and
 * revoking its API tokens in this same transaction; true lets a managed member straight back in,
 * and an invited one back to their invitation. Returns what changed.
 */
export async function applyScimActive(tx: CommandTx, orgId: string, membershipId: string, active: boolean, kind: LinkedMember["kind"]): Promise<{ status: LinkedMember["status"]; tokensRevoked: number } | null> {
  const [member] = await tx.select({ status: memberships.status, invitedEmail: memberships.invitedEmail }).from(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.id, membershipId)));
  if (!member) return null;
  if (!active && member.status !== "deactivated") return { status: "deactivated", tokensRevoked: await deactivateMembership(tx, orgId, { membershipId }) };
  if (active && member.status === "deactivated") {
    const status = kind === "managed" || member.invitedEmail === null ? "active" : "invited";
    await tx.update(memberships).set({ status }).where(eq(memberships.id, membershipId));
    return { status, tokensRevoked: 0 };
  }
  return null;
}

/**
 * A new account (nobody has the address): it has no membership anywhere yet, so the account and
 * its membership are inserted with ids made here, in one round trip (postgres.js pipelines them;
 * the server runs them in order). A SCIM create at an owned domain takes this path.
 */
async function linkNewAccount(ctx: CommandContext, orgId: string, scimUserId: string, facts: ScimUserFacts, { email, kind }: { email: string | null; kind: LinkedMember["kind"] }): Promise<LinkedMember> {
  const { tx, principal } = ctx;
  const userId = crypto.randomUUID();
  const membershipId = crypto.randomUUID();
  let status: LinkedMember["status"] = kind === "managed" ? "active" : "invited";
  const invitedAs = status === "invited" ? { invitedEmail: email, invitedName: facts.name } : {};
  await Promise.all([
    tx.insert(users).values({ id: userId, email: email ?? ssoOnlyEmail(scimUserId), name: facts.name ?? facts.userName.slice(0, 120), passwordHash: null }),
    tx.insert(memberships).values({ id: membershipId, orgId, userId, status, source: "scim", ...invitedAs }),
  ]);
  const invitation = status === "invited" && email ? await issueInvitation(tx, principal, { userId, membershipId, email }) : null;
  if (!facts.active) {
    await deactivateMembership(tx, orgId, { membershipId });
    status = "deactivated";
  }
  return { userId, membershipId, signInEmail: email?.toLowerCase() ?? null, kind, status, invitation };
}
