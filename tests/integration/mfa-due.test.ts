import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { roles, sessions, users } from "@/db/schema";
import { defineCommand, runCommand } from "@/lib/core/command";
import { ConflictError, ForbiddenError, MfaRequiredError, StepUpRequiredError } from "@/lib/core/errors";
import { addGrantCommand } from "@/lib/grants/add-grant";
import { createApiTokenCommand } from "@/lib/identity/create-api-token";
import { createMemberCommand } from "@/lib/identity/create-member";
import { reauthenticateCommand } from "@/lib/identity/reauthenticate";
import { requireSessionMfaCommand } from "@/lib/identity/require-session-mfa";
import { resolveApiToken } from "@/lib/identity/resolve-api-token";
import { resolveSession } from "@/lib/identity/resolve-session";
import { revokeOtherSessionsCommand } from "@/lib/identity/revoke-own-sessions";
import { startTotpEnrollmentCommand } from "@/lib/mfa/start-totp-enrollment";
import { setMfaPolicyCommand } from "@/lib/orgs/set-mfa-policy";
import { asOperator } from "../support/as-operator";
import { makeMember, makeOrg, meta, TEST_PASSWORD, unique } from "../support/factories";
import { ageSessionProofs, enrollTotp, memberPrincipalFor, principalForToken, requestMeta, sessionFor, signInAs, verifyTotpFor } from "../support/sign-in-helpers";

type Org = Awaited<ReturnType<typeof makeOrg>>;

/** The operator grants a role at the org root, as an administrator would while the member is signed in. */
async function grantRole(org: Org, membershipId: string, roleName: string) {
  const [role] = await asOperator((tx) => tx.select({ id: roles.id }).from(roles).where(and(eq(roles.orgId, org.id), eq(roles.name, roleName))));
  await runCommand(addGrantCommand, org.operator, meta, { membershipId, roleId: role!.id });
}

/** A users:manage command that needs no step-up of its own: inviting a Buyer. */
const inviteBuyer = (principal: Parameters<typeof runCommand>[1]) => {
  const email = `${unique("invitee")}@example.test`;
  return { email, run: () => runCommand(createMemberCommand, principal, requestMeta(), { email, roleName: "Buyer" }) };
};
const userExists = async (email: string) => (await asOperator((tx) => tx.select({ id: users.id }).from(users).where(eq(users.email, email)))).length > 0;
const storedSession = async (sessionId: string) => (await getDb().select().from(sessions).where(eq(sessions.id, sessionId)))[0]!;

// A command that checks an admin-class permission in its body (ctx.authorize), like most do.
const authorizeProbe = defineCommand({
  name: "test.authorize_probe",
  access: "authenticated",
  input: z.object({}),
  async run({ authorize }) {
    authorize("users:manage", "");
    return { result: "passed" };
  },
});

describe("MFA due for an admin-class permission applies from the next request, not only at the next sign-in", () => {
  it("a Buyer granted users:manage mid-session is refused it until the session passes MFA; the next page load sends the session to enrollment", async () => {
    const org = await makeOrg();
    const buyer = await makeMember(org.operator);
    const signedIn = await signInAs(buyer.email);
    expect(signedIn.pending).toBeNull();
    expect((await memberPrincipalFor(signedIn.token, org.slug)).mfaDue).toBe(false);

    await grantRole(org, buyer.membershipId, "Manager");
    const principal = await memberPrincipalFor(signedIn.token, org.slug);
    expect(principal.mfaDue).toBe(true);
    const invite = inviteBuyer(principal);
    const refused = await invite.run().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(MfaRequiredError);
    expect(refused).toBeInstanceOf(StepUpRequiredError);
    expect((refused as StepUpRequiredError).kind).toBe("mfa");
    expect(await userExists(invite.email)).toBe(false);
    // Through ctx.authorize too.
    await expect(runCommand(authorizeProbe, principal, requestMeta(), {})).rejects.toBeInstanceOf(MfaRequiredError);
    const [denied] = await asOperator((tx) =>
      tx.execute<{ metadata: Record<string, unknown> }>(sql`select metadata from audit_events where action = 'access.denied' and actor_id = ${buyer.userId} and metadata->>'command' = 'member.created'`),
    );
    expect(denied?.metadata).toMatchObject({ reason: (refused as Error).message });

    // What the page loader runs on their next request: no factor, so enrollment, and short-lived.
    expect(await runCommand(requireSessionMfaCommand, principal, requestMeta(), {})).toEqual({ pending: "enrollment" });
    expect(await resolveSession(getDb(), signedIn.token)).toMatchObject({ pending: "enrollment" });
    const pendingRow = await storedSession(signedIn.row.id);
    expect((pendingRow.expiresAt.getTime() - Date.now()) / 1000).toBeLessThanOrEqual(15 * 60 + 5);
    const [event] = await asOperator((tx) => tx.execute<{ org_id: string; metadata: Record<string, unknown> }>(sql`select org_id, metadata from audit_events where action = 'auth.mfa.required' and actor_id = ${buyer.userId}`));
    expect(event).toMatchObject({ org_id: org.id, metadata: { pending: "enrollment" } });
    await expect(runCommand(revokeOtherSessionsCommand, await principalForToken(signedIn.token), requestMeta(), {})).rejects.toThrow("Finish signing in first.");

    // Setting up the app finishes it with an MFA check; the lifetime counts from the password step again.
    const enrolled = await enrollTotp(signedIn.token);
    expect(enrolled.token).not.toBe(signedIn.token);
    await expect(inviteBuyer(await memberPrincipalFor(enrolled.token, org.slug)).run()).resolves.toMatchObject({ userId: expect.any(String) });
    const finished = await storedSession(signedIn.row.id);
    expect(finished.pending).toBeNull();
    expect(finished.expiresAt.getTime()).toBe(finished.createdAt.getTime() + 12 * 3600 * 1000);
  });

  it("someone who already has a factor is asked for it instead, and the check lifts the refusal", async () => {
    const org = await makeOrg();
    const buyer = await makeMember(org.operator);
    const { secret, token } = await enrollTotp((await signInAs(buyer.email)).token);
    // Set up voluntarily: not an MFA check, so the session has none.
    expect((await sessionFor(token)).session.mfaVerifiedAt).toBeNull();
    await grantRole(org, buyer.membershipId, "Manager");
    const principal = await memberPrincipalFor(token, org.slug);
    await expect(inviteBuyer(principal).run()).rejects.toBeInstanceOf(MfaRequiredError);
    expect(await runCommand(requireSessionMfaCommand, principal, requestMeta(), {})).toEqual({ pending: "mfa" });
    expect(await resolveSession(getDb(), token)).toMatchObject({ pending: "mfa" });
    const verified = await verifyTotpFor(token, secret);
    expect(await resolveSession(getDb(), verified)).toMatchObject({ pending: null, mfaVerifiedAt: expect.any(Date) });
    await expect(inviteBuyer(await memberPrincipalFor(verified, org.slug)).run()).resolves.toMatchObject({ userId: expect.any(String) });
    await expect(runCommand(authorizeProbe, await memberPrincipalFor(verified, org.slug), requestMeta(), {})).resolves.toBe("passed");
  });

  it("a session sent back to enrollment long after its sign-in confirms the password first; one waiting for its second factor may not use the password", async () => {
    const org = await makeOrg();
    const buyer = await makeMember(org.operator);
    let { token } = await signInAs(buyer.email);
    const { sessionId } = (await sessionFor(token)).session;
    await ageSessionProofs(sessionId, 45, { reauthenticated: true });
    await grantRole(org, buyer.membershipId, "Manager");
    await runCommand(requireSessionMfaCommand, await memberPrincipalFor(token, org.slug), requestMeta(), {});
    // A stolen cookie alone cannot set up a factor of the thief's own here.
    await expect(runCommand(startTotpEnrollmentCommand, await principalForToken(token), requestMeta(), {})).rejects.toMatchObject({ kind: "recent-auth" });
    token = (await runCommand(reauthenticateCommand, await principalForToken(token), requestMeta(), { password: TEST_PASSWORD })).sessionToken;
    // The password does not finish the sign-in; the enrollment does.
    expect(await resolveSession(getDb(), token)).toMatchObject({ pending: "enrollment", mfaVerifiedAt: null });
    const enrolled = await enrollTotp(token);
    expect(await resolveSession(getDb(), enrolled.token)).toMatchObject({ pending: null, mfaVerifiedAt: expect.any(Date) });

    // Now with a factor: a pending second-factor step is not passed with the password.
    const pending = await signInAs(buyer.email);
    expect(pending.pending).toBe("mfa");
    await expect(runCommand(reauthenticateCommand, await principalForToken(pending.token), requestMeta(), { password: TEST_PASSWORD })).rejects.toThrow("Finish signing in first.");
    expect(await resolveSession(getDb(), pending.token)).toMatchObject({ pending: "mfa" });
  });

  it("an org that now requires MFA of everyone makes it due for a Buyer at their next page load", async () => {
    const org = await makeOrg();
    const buyer = await makeMember(org.operator);
    const { token } = await signInAs(buyer.email);
    await runCommand(setMfaPolicyCommand, org.operator, meta, { requireMfa: true });
    const principal = await memberPrincipalFor(token, org.slug);
    expect(principal.mfaDue).toBe(true);
    expect(await runCommand(requireSessionMfaCommand, principal, requestMeta(), {})).toEqual({ pending: "enrollment" });
  });
});

describe("MFA due applies to people's sessions only", () => {
  it("API tokens and the operator are unaffected; a member without an admin-class permission is never sent back", async () => {
    const org = await makeOrg();
    const manager = await makeMember(org.operator);
    await grantRole(org, manager.membershipId, "Manager");
    const { token: apiToken } = await runCommand(createApiTokenCommand, org.operator, meta, { email: manager.email });
    const tokenPrincipal = await resolveApiToken(getDb(), apiToken);
    await expect(inviteBuyer(tokenPrincipal!).run()).resolves.toMatchObject({ userId: expect.any(String) });
    await expect(runCommand(authorizeProbe, tokenPrincipal!, requestMeta(), {})).resolves.toBe("passed");
    await expect(inviteBuyer(org.operator).run()).resolves.toMatchObject({ userId: expect.any(String) });

    const buyer = await makeMember(org.operator);
    const { token } = await signInAs(buyer.email);
    const principal = await memberPrincipalFor(token, org.slug);
    expect(principal.mfaDue).toBe(false);
    await expect(runCommand(requireSessionMfaCommand, principal, requestMeta(), {})).rejects.toBeInstanceOf(ConflictError);
    expect(await resolveSession(getDb(), token)).toMatchObject({ pending: null });
    // Lacking the permission is still a plain refusal, not an MFA detour.
    await expect(inviteBuyer(principal).run()).rejects.toBeInstanceOf(ForbiddenError);
    await expect(inviteBuyer(principal).run()).rejects.not.toBeInstanceOf(MfaRequiredError);
  });
});
