import { and, eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { grants, organizations, roles, totpFactors } from "@/db/schema";
import { recordAuditExportCommand } from "@/lib/audit/record-export";
import { runCommand } from "@/lib/core/command";
import { ForbiddenError, StepUpRequiredError, UnauthorizedError } from "@/lib/core/errors";
import { stepUpMaxAgeSeconds } from "@/lib/core/step-up";
import { addGrantCommand } from "@/lib/grants/add-grant";
import { createApiTokenCommand } from "@/lib/identity/create-api-token";
import { reauthenticateCommand } from "@/lib/identity/reauthenticate";
import { resolveApiToken } from "@/lib/identity/resolve-api-token";
import { regenerateRecoveryCodesCommand } from "@/lib/mfa/regenerate-recovery-codes";
import { removeTotpCommand } from "@/lib/mfa/remove-totp";
import { startTotpEnrollmentCommand } from "@/lib/mfa/start-totp-enrollment";
import { verifySecondFactorCommand } from "@/lib/mfa/verify-second-factor";
import { setMfaPolicyCommand } from "@/lib/orgs/set-mfa-policy";
import { asOperator } from "../support/as-operator";
import { makeMember, makeOrg, meta, TEST_PASSWORD } from "../support/factories";
import {
  ageSessionProofs,
  awayFromStepBoundary,
  currentTotp,
  enrollTotp,
  memberPrincipalFor,
  principalForToken,
  requestMeta,
  sessionFor,
  signInAs,
  verifyTotpFor,
} from "../support/sign-in-helpers";

afterEach(() => {
  delete process.env.STEP_UP_MAX_AGE_SECONDS;
});

async function roleId(orgId: string, name: string): Promise<string> {
  const [role] = await asOperator((tx) => tx.select({ id: roles.id }).from(roles).where(and(eq(roles.orgId, orgId), eq(roles.name, name))));
  return role!.id;
}

/** An org with a signed-in Admin who has an authenticator app (MFA checked just now), and a Buyer. */
async function orgWithAdmin() {
  const org = await makeOrg();
  const admin = await makeMember(org.operator, { roleName: "Admin" });
  const buyer = await makeMember(org.operator, { roleName: "Buyer" });
  const enrolled = await enrollTotp((await signInAs(admin.email)).token);
  const { session } = await sessionFor(enrolled.token);
  return { org, admin, buyer, ...enrolled, sessionId: session.sessionId };
}

async function apiTokenPrincipal(org: Awaited<ReturnType<typeof makeOrg>>, email: string) {
  const { token } = await runCommand(createApiTokenCommand, org.operator, meta, { email });
  const principal = await resolveApiToken(getDb(), token);
  if (!principal) throw new Error("token did not resolve");
  return principal;
}

async function deniedEvents(command: string) {
  return asOperator((tx) =>
    tx.execute<{ actor_id: string; outcome: string; metadata: Record<string, unknown> }>(
      sql`select actor_id, outcome, metadata from audit_events where action = 'access.denied' and metadata->>'command' = ${command} order by id`,
    ),
  );
}

const grantCount = (membershipId: string) => asOperator((tx) => tx.$count(grants, eq(grants.membershipId, membershipId)));

describe("Sensitive actions need a step-up within the last few minutes", () => {
  it("granting the Admin role with an MFA check 11 minutes old is refused, recorded as a denial, and changes nothing", async () => {
    const { org, admin, buyer, token, sessionId } = await orgWithAdmin();
    const adminRole = await roleId(org.id, "Admin");
    await ageSessionProofs(sessionId, 11, { mfa: true });
    const principal = await memberPrincipalFor(token, org.slug);
    const before = await grantCount(buyer.membershipId);
    const error = await runCommand(addGrantCommand, principal, requestMeta(), { membershipId: buyer.membershipId, roleId: adminRole }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StepUpRequiredError);
    expect((error as StepUpRequiredError).kind).toBe("mfa");
    expect(await grantCount(buyer.membershipId)).toBe(before);
    const [denied] = await deniedEvents("grant.added");
    expect(denied).toMatchObject({ actor_id: admin.userId, outcome: "denied", metadata: { reason: (error as Error).message } });
  });

  it("with a fresh MFA check (a step-up with the authenticator) the same grant goes through", async () => {
    const { org, buyer, token, secret, sessionId } = await orgWithAdmin();
    const adminRole = await roleId(org.id, "Admin");
    await ageSessionProofs(sessionId, 11, { mfa: true });
    // The step-up: a second-factor check on the signed-in session gives a new id and a fresh check.
    await awayFromStepBoundary();
    const { sessionToken } = await runCommand(verifySecondFactorCommand, await principalForToken(token), requestMeta(), { method: "totp", code: currentTotp(secret) });
    const principal = await memberPrincipalFor(sessionToken, org.slug);
    await expect(runCommand(addGrantCommand, principal, requestMeta(), { membershipId: buyer.membershipId, roleId: adminRole })).resolves.toMatchObject({ id: expect.any(String) });
  });

  it("a password step-up does not stand in for an MFA one", async () => {
    const { org, buyer, token, sessionId } = await orgWithAdmin();
    await ageSessionProofs(sessionId, 11, { mfa: true, reauthenticated: true });
    const { sessionToken } = await runCommand(reauthenticateCommand, await principalForToken(token), requestMeta(), { password: TEST_PASSWORD });
    const principal = await memberPrincipalFor(sessionToken, org.slug);
    expect(Date.now() - principal.sessionAuth!.reauthenticatedAt.getTime()).toBeLessThan(60_000);
    await expect(runCommand(addGrantCommand, principal, requestMeta(), { membershipId: buyer.membershipId, roleId: await roleId(org.id, "Admin") })).rejects.toBeInstanceOf(StepUpRequiredError);
  });

  it("granting a role without admin-class permissions needs no step-up; one with any admin-class permission does", async () => {
    const { org, buyer, token, sessionId } = await orgWithAdmin();
    await ageSessionProofs(sessionId, 11, { mfa: true });
    const principal = await memberPrincipalFor(token, org.slug);
    for (const name of ["Viewer", "Approver"]) {
      await expect(runCommand(addGrantCommand, principal, requestMeta(), { membershipId: buyer.membershipId, roleId: await roleId(org.id, name) })).resolves.toMatchObject({ id: expect.any(String) });
    }
    // A Manager manages people (users:manage), an Auditor reads the trail: both admin-class.
    for (const name of ["Manager", "Auditor"]) {
      await expect(runCommand(addGrantCommand, principal, requestMeta(), { membershipId: buyer.membershipId, roleId: await roleId(org.id, name) })).rejects.toBeInstanceOf(StepUpRequiredError);
    }
  });

  it("an API token can never grant an admin-class role", async () => {
    const { org, admin, buyer } = await orgWithAdmin();
    const principal = await apiTokenPrincipal(org, admin.email);
    await expect(runCommand(addGrantCommand, principal, requestMeta(), { membershipId: buyer.membershipId, roleId: await roleId(org.id, "Admin") })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(runCommand(addGrantCommand, principal, requestMeta(), { membershipId: buyer.membershipId, roleId: await roleId(org.id, "Viewer") })).resolves.toMatchObject({ id: expect.any(String) });
  });

  it("exporting the audit trail needs a fresh MFA check from a person, while an API token (a SIEM) may export", async () => {
    const { org, admin, token, sessionId } = await orgWithAdmin();
    const input = { format: "jsonl", filters: {} };
    await expect(runCommand(recordAuditExportCommand, await memberPrincipalFor(token, org.slug), requestMeta(), input)).resolves.toBeNull();
    await ageSessionProofs(sessionId, 11, { mfa: true });
    const stale = await runCommand(recordAuditExportCommand, await memberPrincipalFor(token, org.slug), requestMeta(), input).catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(StepUpRequiredError);
    const [denied] = await asOperator((tx) =>
      tx.execute<{ metadata: Record<string, unknown> }>(sql`select metadata from audit_events where action = 'audit.read.denied' and metadata->>'command' = 'audit.exported' order by id desc limit 1`),
    );
    expect(denied?.metadata.reason).toBe((stale as Error).message);
    await expect(runCommand(recordAuditExportCommand, await apiTokenPrincipal(org, admin.email), requestMeta(), input)).resolves.toBeNull();
  });

  it("the MFA policy cannot be changed with an API token, nor with a stale MFA check", async () => {
    const { org, admin, token, sessionId } = await orgWithAdmin();
    const readPolicy = async () => (await asOperator((tx) => tx.select({ requireMfa: organizations.requireMfa }).from(organizations).where(eq(organizations.id, org.id))))[0]!.requireMfa;
    await expect(runCommand(setMfaPolicyCommand, await apiTokenPrincipal(org, admin.email), requestMeta(), { requireMfa: true })).rejects.toBeInstanceOf(ForbiddenError);
    await ageSessionProofs(sessionId, 11, { mfa: true });
    await expect(runCommand(setMfaPolicyCommand, await memberPrincipalFor(token, org.slug), requestMeta(), { requireMfa: true })).rejects.toBeInstanceOf(StepUpRequiredError);
    expect(await readPolicy()).toBe(false);
    // A Buyer is refused for lack of permission before any step-up question.
    const buyerSession = await signInAs((await makeMember(org.operator)).email);
    await expect(runCommand(setMfaPolicyCommand, await memberPrincipalFor(buyerSession.token, org.slug), requestMeta(), { requireMfa: true })).rejects.toBeInstanceOf(ForbiddenError);
    expect(await readPolicy()).toBe(false);
  });

  it("STEP_UP_MAX_AGE_SECONDS sets the window (10 minutes by default)", async () => {
    expect(stepUpMaxAgeSeconds()).toBe(600);
    const { org, buyer, token, sessionId } = await orgWithAdmin();
    const adminRole = await roleId(org.id, "Admin");
    await ageSessionProofs(sessionId, 2, { mfa: true });
    const grant = async () => runCommand(addGrantCommand, await memberPrincipalFor(token, org.slug), requestMeta(), { membershipId: buyer.membershipId, roleId: adminRole });
    process.env.STEP_UP_MAX_AGE_SECONDS = "60";
    await expect(grant()).rejects.toBeInstanceOf(StepUpRequiredError);
    process.env.STEP_UP_MAX_AGE_SECONDS = "300";
    await expect(grant()).resolves.toMatchObject({ id: expect.any(String) });
    // Nonsense values fall back to the default rather than disabling the check.
    for (const value of ["0", "-5", "soon"]) {
      process.env.STEP_UP_MAX_AGE_SECONDS = value;
      expect(stepUpMaxAgeSeconds()).toBe(600);
    }
  });
});

describe("Changing email or MFA settings needs a fresh login", () => {
  it("with a second factor set up, regenerating recovery codes and removing it need a recent MFA check; a password step-up is not one", async () => {
    const org = await makeOrg();
    const member = await makeMember(org.operator);
    const enrolled = await enrollTotp((await signInAs(member.email)).token);
    let token = enrolled.token;
    const { sessionId } = (await sessionFor(token)).session;

    /** Ages the session's proofs, expects `run` to be refused even after a password step-up, then passes it after an MFA one. */
    const afterMfaStepUp = async (run: (t: string) => Promise<unknown>, codeOffset: number) => {
      await ageSessionProofs(sessionId, 11);
      const error = await run(token).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StepUpRequiredError);
      expect((error as StepUpRequiredError).kind).toBe("mfa");
      // A stolen cookie plus the password must not change the factors.
      token = (await runCommand(reauthenticateCommand, await principalForToken(token), requestMeta(), { password: TEST_PASSWORD })).sessionToken;
      const again = await run(token).catch((e: unknown) => e);
      expect(again).toBeInstanceOf(StepUpRequiredError);
      expect((again as StepUpRequiredError).kind).toBe("mfa");
      token = await verifyTotpFor(token, enrolled.secret, codeOffset);
      return run(token);
    };

    const regenerated = await afterMfaStepUp(async (t) => runCommand(regenerateRecoveryCodesCommand, await principalForToken(t), requestMeta(), {}), 0);
    expect((regenerated as { recoveryCodes: string[] }).recoveryCodes).toHaveLength(10);
    await afterMfaStepUp(async (t) => runCommand(removeTotpCommand, await principalForToken(t), requestMeta(), {}), 1);
    expect(await getDb().select().from(totpFactors).where(eq(totpFactors.userId, member.userId))).toEqual([]);
    // The refusals are on the record.
    expect((await deniedEvents("mfa.totp.removed")).length).toBeGreaterThanOrEqual(2);
  });

  it("with no second factor, setting one up needs a sign-in or password check within the window", async () => {
    const org = await makeOrg();
    const member = await makeMember(org.operator);
    let { token } = await signInAs(member.email);
    const { sessionId } = (await sessionFor(token)).session;
    await ageSessionProofs(sessionId, 11);
    const start = async () => runCommand(startTotpEnrollmentCommand, await principalForToken(token), requestMeta(), {});
    const error = await start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StepUpRequiredError);
    expect((error as StepUpRequiredError).kind).toBe("recent-auth");
    // A wrong password does not count as one.
    await expect(runCommand(reauthenticateCommand, await principalForToken(token), requestMeta(), { password: "a wrong password entirely" })).rejects.toBeInstanceOf(UnauthorizedError);
    await expect(start()).rejects.toBeInstanceOf(StepUpRequiredError);
    token = (await runCommand(reauthenticateCommand, await principalForToken(token), requestMeta(), { password: TEST_PASSWORD })).sessionToken;
    expect((await start()).secret).toMatch(/^[A-Z2-7]{32}$/);
  });
});
