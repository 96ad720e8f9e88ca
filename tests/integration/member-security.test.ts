import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { apiTokens, authThrottle, memberships, roles } from "@/db/schema";
import { runCommand } from "@/lib/core/command";
import type { Principal } from "@/lib/core/context";
import { ConflictError, ForbiddenError, HiddenTargetError, NotFoundError, StepUpRequiredError } from "@/lib/core/errors";
import { addGrantCommand } from "@/lib/grants/add-grant";
import { createApiTokenCommand } from "@/lib/identity/create-api-token";
import { deactivateMemberCommand } from "@/lib/identity/deactivate-member";
import { loadMemberSecurity } from "@/lib/identity/member-security";
import { OrgSessionEndedError } from "@/lib/identity/load-member-principal";
import { reactivateMemberCommand } from "@/lib/identity/reactivate-member";
import { resolveApiToken } from "@/lib/identity/resolve-api-token";
import { revokeMemberSessionsCommand } from "@/lib/identity/revoke-member-sessions";
import { BLOCK_AFTER_FAILURES } from "@/lib/identity/throttle-keys";
import { unblockMemberSecondFactorCommand } from "@/lib/identity/unblock-member-second-factor";
import { asOperator } from "../support/as-operator";
import { makeBranch, makeMember, makeOrg, meta } from "../support/factories";
import { memberPrincipalFor } from "../support/sign-in-helpers";
import { allAuditJson, auditRows, openSession } from "./one-time-links";
import { operatorDb } from "../support/as-operator";

/** An org with two regions, an administrator, a regional manager and members in each region. */
async function regions() {
  const org = await makeOrg();
  const na = await makeBranch(org.operator, "North America");
  const chicago = await makeBranch(org.operator, "Chicago", na.id);
  const berlin = await makeBranch(org.operator, "Berlin");
  const admin = await makeMember(org.operator, { roleName: "Admin" });
  const manager = await makeMember(org.operator, { roleName: "Manager", branchId: na.id });
  const chicagoBuyer = await makeMember(org.operator, { roleName: "Buyer", branchId: chicago.id });
  const berliner = await makeMember(org.operator, { roleName: "Buyer", branchId: berlin.id });
  const viewer = await makeMember(org.operator, { roleName: "Viewer", branchId: chicago.id });
  const straddler = await makeMember(org.operator, { roleName: "Buyer", branchId: chicago.id });
  const [buyerRole] = await asOperator((tx) => tx.select({ id: roles.id }).from(roles).where(and(eq(roles.orgId, org.id), eq(roles.name, "Buyer"))));
  await runCommand(addGrantCommand, org.operator, meta, { membershipId: straddler.membershipId, roleId: buyerRole!.id, branchId: berlin.id });
  return { org, admin, manager, chicagoBuyer, berliner, viewer, straddler };
}

const token = async (operator: Awaited<ReturnType<typeof makeOrg>>["operator"], email: string) => (await runCommand(createApiTokenCommand, operator, meta, { email })).token;

async function statusOf(membershipId: string) {
  const [row] = await asOperator((tx) => tx.select({ status: memberships.status }).from(memberships).where(eq(memberships.id, membershipId)));
  return row!.status;
}

/** Whether a cookie still acts in the org (as requirePrincipal would judge it on the next request). */
async function actsIn(cookie: string, orgSlug: string): Promise<boolean> {
  return memberPrincipalFor(cookie, orgSlug).then(
    () => true,
    (error: unknown) => {
      if (error instanceof OrgSessionEndedError || (error instanceof Error && error.message === "not a member")) return false;
      throw error;
    },
  );
}

describe("A user can see their sessions and end the others. An admin can end a member's sessions (in that org)", () => {
  it("an administrator ends a member's sessions in this org: from the next request their cookies are not accepted here, and a new sign-in is", async () => {
    const t = await regions();
    const cookies = [await openSession(t.chicagoBuyer.email), await openSession(t.chicagoBuyer.email)];
    const adminCookie = await openSession(t.admin.email);
    expect(await readAsSecurity(t.admin.principal, t.chicagoBuyer.membershipId)).toMatchObject({ canManage: true, status: "active", sessionsEndedAt: null, account: null });

    expect(await runCommand(revokeMemberSessionsCommand, t.admin.principal, meta, { membershipId: t.chicagoBuyer.membershipId })).toEqual({ scope: "organization", count: null });
    for (const cookie of cookies) expect(await actsIn(cookie, t.org.slug)).toBe(false);
    expect(await actsIn(adminCookie, t.org.slug)).toBe(true);
    expect(await actsIn(await openSession(t.chicagoBuyer.email), t.org.slug)).toBe(true);
    expect(await readAsSecurity(t.admin.principal, t.chicagoBuyer.membershipId)).toMatchObject({ sessionsEndedAt: expect.any(String) });
    const [event] = (await auditRows("member.sessions.revoked")).filter((e) => e.target_id === t.chicagoBuyer.membershipId);
    expect(event).toMatchObject({ org_id: t.org.id, actor_id: t.admin.userId, metadata: { member: t.chicagoBuyer.email, scope: "organization" } });
  });

  it("a regional manager can end the sessions of a member in their region, not of one elsewhere, and a viewer cannot at all", async () => {
    const t = await regions();
    await openSession(t.chicagoBuyer.email);
    await expect(runCommand(revokeMemberSessionsCommand, t.manager.principal, meta, { membershipId: t.chicagoBuyer.membershipId })).resolves.toEqual({ scope: "organization", count: null });
    await expect(runCommand(revokeMemberSessionsCommand, t.manager.principal, meta, { membershipId: t.berliner.membershipId })).rejects.toBeInstanceOf(HiddenTargetError);
    await expect(runCommand(revokeMemberSessionsCommand, t.viewer.principal, meta, { membershipId: t.chicagoBuyer.membershipId })).rejects.toBeInstanceOf(ForbiddenError);
    // The org's administrator holds a role at the root, outside the manager's region: not found.
    await expect(runCommand(revokeMemberSessionsCommand, t.manager.principal, meta, { membershipId: t.admin.membershipId })).rejects.toBeInstanceOf(HiddenTargetError);
    // Someone who also holds a role in Berlin is visible to the manager, but not theirs to manage.
    expect(await readAsSecurity(t.manager.principal, t.straddler.membershipId)).toMatchObject({ canManage: false });
    await expect(runCommand(revokeMemberSessionsCommand, t.manager.principal, meta, { membershipId: t.straddler.membershipId })).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("another org's member is not found", async () => {
    const t = await regions();
    const other = await regions();
    await expect(runCommand(revokeMemberSessionsCommand, t.admin.principal, meta, { membershipId: other.chicagoBuyer.membershipId })).rejects.toBeInstanceOf(NotFoundError);
    await expect(runCommand(revokeMemberSessionsCommand, t.admin.principal, meta, { membershipId: "not-a-uuid" })).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("Throttle per account and per IP. Block after 100 consecutive failures: the block is the person's, not a non-owning org's to clear", () => {
  /** The principal as it is right after a second-factor check (the command needs an MFA step-up). */
  const steppedUp = (principal: Principal, mfaVerifiedAt: Date | null = new Date()): Principal => ({
    ...principal,
    sessionId: crypto.randomUUID(),
    sessionAuth: { reauthenticatedAt: new Date(), mfaVerifiedAt },
  });
  const blockMfa = (userId: string, failures = BLOCK_AFTER_FAILURES) =>
    operatorDb().insert(authThrottle).values({ key: `mfa:${userId}`, failures, lastFailureAt: new Date() });
  const blockOf = async (userId: string) => operatorDb().select().from(authThrottle).where(eq(authThrottle.key, `mfa:${userId}`));

  it("the member's panel does not show the block; clearing it needs the administrator's recent MFA check, and is then refused (403, recorded) since the org does not own the account", async () => {
    const t = await regions();
    await blockMfa(t.chicagoBuyer.userId);
    expect(await readAsSecurity(t.admin.principal, t.chicagoBuyer.membershipId)).toMatchObject({ canManage: true, account: null });
    const input = { membershipId: t.chicagoBuyer.membershipId };
    // An MFA check older than the step-up window (a session that never passed MFA is refused earlier, as MFA due).
    await expect(runCommand(unblockMemberSecondFactorCommand, steppedUp(t.admin.principal, new Date(Date.now() - 11 * 60_000)), meta, input)).rejects.toBeInstanceOf(StepUpRequiredError);

    const refused = await runCommand(unblockMemberSecondFactorCommand, steppedUp(t.admin.principal), meta, input).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ForbiddenError);
    expect((refused as Error).message).toMatch(/^Only an organization that has verified this person's email domain can clear their second-factor block/);
    expect(await blockOf(t.chicagoBuyer.userId)).toHaveLength(1);
    const denials = (await auditRows("access.denied")).filter((e) => e.metadata.command === "member.mfa.unblocked" && e.actor_id === t.admin.userId);
    expect(denials.map((e) => String(e.metadata.reason).split(":")[0])).toEqual(["Confirm it is you with your second factor first.", "Only an organization that has verified this person's email domain can clear their second-factor block"]);
    expect(await auditRows("member.mfa.unblocked")).toHaveLength(0);
  });

  it("the member lookup comes first: a member outside the manager's region is not found, a viewer is refused, another org's member is not found", async () => {
    const t = await regions();
    const other = await regions();
    await blockMfa(t.berliner.userId);
    await expect(runCommand(unblockMemberSecondFactorCommand, steppedUp(t.manager.principal), meta, { membershipId: t.berliner.membershipId })).rejects.toBeInstanceOf(HiddenTargetError);
    await expect(runCommand(unblockMemberSecondFactorCommand, steppedUp(t.viewer.principal), meta, { membershipId: t.chicagoBuyer.membershipId })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(runCommand(unblockMemberSecondFactorCommand, steppedUp(t.admin.principal), meta, { membershipId: other.chicagoBuyer.membershipId })).rejects.toBeInstanceOf(NotFoundError);
    // By email is the operator's way (the CLI), never an administrator's.
    await expect(runCommand(unblockMemberSecondFactorCommand, steppedUp(t.admin.principal), meta, { email: t.berliner.email })).rejects.toBeInstanceOf(ForbiddenError);
    expect(await blockOf(t.berliner.userId)).toHaveLength(1);
  });
});

describe("Deactivating or deleting a user ends all their sessions at once (in the org that deactivates them)", () => {
  it("deactivation ends the member's sessions here and revokes every API token of the membership, in the one transaction", async () => {
    const t = await regions();
    const cookies = [await openSession(t.chicagoBuyer.email), await openSession(t.chicagoBuyer.email)];
    const tokens = [await token(t.org.operator, t.chicagoBuyer.email), await token(t.org.operator, t.chicagoBuyer.email)];
    const bystanderToken = await token(t.org.operator, t.viewer.email);
    for (const apiToken of tokens) expect(await resolveApiToken(getDb(), apiToken)).not.toBeNull();

    const result = await runCommand(deactivateMemberCommand, t.admin.principal, meta, { membershipId: t.chicagoBuyer.membershipId });
    expect(result).toEqual({ tokensRevoked: 2 });
    expect(await statusOf(t.chicagoBuyer.membershipId)).toBe("deactivated");
    for (const cookie of cookies) expect(await actsIn(cookie, t.org.slug)).toBe(false);
    for (const apiToken of tokens) expect(await resolveApiToken(getDb(), apiToken)).toBeNull();
    expect(await resolveApiToken(getDb(), bystanderToken)).not.toBeNull();

    // Every row the deactivation wrote carries the id of the transaction that wrote it (xmin):
    // one id for the status and sessions-ended time, the tokens and the audit event means one transaction.
    const writers = await asOperator((tx) =>
      tx.execute<{ xid: string }>(sql`
        select xmin::text as xid from memberships where id = ${t.chicagoBuyer.membershipId} and sessions_revoked_at is not null
        union all select xmin::text from api_tokens where membership_id = ${t.chicagoBuyer.membershipId}
        union all select xmin::text from audit_events where action = 'member.deactivated' and target_id = ${t.chicagoBuyer.membershipId}`),
    );
    expect(writers).toHaveLength(4);
    expect(new Set(writers.map((w) => w.xid)).size).toBe(1);
    const [event] = (await auditRows("member.deactivated")).filter((e) => e.target_id === t.chicagoBuyer.membershipId);
    expect(event).toMatchObject({
      org_id: t.org.id,
      actor_id: t.admin.userId,
      metadata: { member: t.chicagoBuyer.email, before: { status: "active" }, after: { status: "deactivated" }, tokensRevoked: 2 },
    });
  });

  it("you cannot deactivate yourself; a regional manager cannot deactivate the administrator; deactivating twice is a conflict", async () => {
    const t = await regions();
    const self = await runCommand(deactivateMemberCommand, t.admin.principal, meta, { membershipId: t.admin.membershipId }).catch((e: unknown) => e);
    expect(self).toBeInstanceOf(ForbiddenError);
    expect((self as Error).message).toBe("You cannot deactivate yourself; ask another administrator.");
    await expect(runCommand(deactivateMemberCommand, t.manager.principal, meta, { membershipId: t.admin.membershipId })).rejects.toBeInstanceOf(HiddenTargetError);
    await expect(runCommand(deactivateMemberCommand, t.manager.principal, meta, { membershipId: t.straddler.membershipId })).rejects.toBeInstanceOf(ForbiddenError);
    expect(await statusOf(t.admin.membershipId)).toBe("active");
    expect(await statusOf(t.straddler.membershipId)).toBe("active");
    await runCommand(deactivateMemberCommand, t.manager.principal, meta, { membershipId: t.chicagoBuyer.membershipId });
    await expect(runCommand(deactivateMemberCommand, t.manager.principal, meta, { membershipId: t.chicagoBuyer.membershipId })).rejects.toBeInstanceOf(ConflictError);
  });

  it("reactivation lets the member back in but restores no session and no token: they sign in again to act here", async () => {
    const t = await regions();
    const cookie = await openSession(t.chicagoBuyer.email);
    const apiToken = await token(t.org.operator, t.chicagoBuyer.email);
    await runCommand(deactivateMemberCommand, t.admin.principal, meta, { membershipId: t.chicagoBuyer.membershipId });
    expect(await runCommand(reactivateMemberCommand, t.admin.principal, meta, { membershipId: t.chicagoBuyer.membershipId })).toEqual({ status: "active" });
    expect(await statusOf(t.chicagoBuyer.membershipId)).toBe("active");
    expect(await actsIn(cookie, t.org.slug)).toBe(false);
    expect(await resolveApiToken(getDb(), apiToken)).toBeNull();
    const live = await asOperator((tx) => tx.select().from(apiTokens).where(eq(apiTokens.membershipId, t.chicagoBuyer.membershipId)));
    expect(live.every((k) => k.revokedAt !== null)).toBe(true);
    expect(await actsIn(await openSession(t.chicagoBuyer.email), t.org.slug)).toBe(true);
    await expect(runCommand(reactivateMemberCommand, t.admin.principal, meta, { membershipId: t.chicagoBuyer.membershipId })).rejects.toBeInstanceOf(ConflictError);
    expect((await auditRows("member.reactivated")).filter((e) => e.target_id === t.chicagoBuyer.membershipId)).toHaveLength(1);
  });

  it("no audit entry of these actions holds a session or API token secret", async () => {
    const t = await regions();
    const secrets = [await openSession(t.chicagoBuyer.email), await token(t.org.operator, t.chicagoBuyer.email)];
    await runCommand(revokeMemberSessionsCommand, t.admin.principal, meta, { membershipId: t.chicagoBuyer.membershipId });
    await runCommand(deactivateMemberCommand, t.admin.principal, meta, { membershipId: t.chicagoBuyer.membershipId });
    await runCommand(reactivateMemberCommand, t.admin.principal, meta, { membershipId: t.chicagoBuyer.membershipId });
    const audit = await allAuditJson();
    for (const secret of secrets) expect(audit).not.toContain(secret);
  });
});

async function readAsSecurity(principal: Parameters<typeof loadMemberSecurity>[1], membershipId: string) {
  const { readAs } = await import("@/lib/core/read-as");
  return readAs(principal, (db) => loadMemberSecurity(db, principal, membershipId));
}
