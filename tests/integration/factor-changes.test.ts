import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { totpFactors, webauthnCredentials } from "@/db/schema";
import { withTenantScope } from "@/db/tenant-scope";
import { runCommand } from "@/lib/core/command";
import type { Principal } from "@/lib/core/context";
import { ConflictError, StepUpRequiredError } from "@/lib/core/errors";
import { reauthenticateCommand } from "@/lib/identity/reauthenticate";
import { resolveSession } from "@/lib/identity/resolve-session";
import { addPasskeyCommand } from "@/lib/mfa/add-passkey";
import { confirmTotpEnrollmentCommand } from "@/lib/mfa/confirm-totp-enrollment";
import { assertFactorRemovable } from "@/lib/mfa/factor-changes";
import { regenerateRecoveryCodesCommand } from "@/lib/mfa/regenerate-recovery-codes";
import { removePasskeyCommand } from "@/lib/mfa/remove-passkey";
import { removeTotpCommand } from "@/lib/mfa/remove-totp";
import { startPasskeyRegistrationCommand } from "@/lib/mfa/start-passkey-registration";
import { startTotpEnrollmentCommand } from "@/lib/mfa/start-totp-enrollment";
import { makeMember, makeOrg, TEST_PASSWORD } from "../support/factories";
import { ageSessionProofs, awayFromStepBoundary, currentTotp, enrollTotp, principalForToken, requestMeta, sessionFor, signInAs } from "../support/sign-in-helpers";
import { SoftAuthenticator } from "../support/soft-authenticator";

const ORIGIN = "http://localhost:3999";
beforeAll(() => {
  process.env.APP_URL = ORIGIN;
  delete process.env.WEBAUTHN_RP_ID;
});

async function addPasskey(principal: Principal, name: string) {
  const options = await runCommand(startPasskeyRegistrationCommand, principal, requestMeta(), {});
  return runCommand(addPasskeyCommand, principal, requestMeta(), { name, response: new SoftAuthenticator().createRegistrationResponse(options, { origin: ORIGIN }) });
}

/** An Admin (MFA required) with an authenticator app and a passkey, whose session passed MFA just now. */
async function adminWithTwoFactors() {
  const org = await makeOrg();
  const admin = await makeMember(org.operator, { roleName: "Admin" });
  const { token, secret } = await enrollTotp((await signInAs(admin.email)).token);
  const principal = await principalForToken(token);
  const passkey = await addPasskey(principal, "Laptop");
  return { org, admin, token, secret, principal, passkey };
}

const factorsLeft = async (userId: string) => ({
  totp: (await getDb().select().from(totpFactors).where(eq(totpFactors.userId, userId))).length,
  passkeys: (await getDb().select().from(webauthnCredentials).where(eq(webauthnCredentials.userId, userId))).length,
});

describe("Changing email or MFA settings needs a fresh login: with a second factor set up, only an MFA check will do", () => {
  it("after a password re-check alone, none of the seven factor commands runs, and nothing changes", async () => {
    const org = await makeOrg();
    const member = await makeMember(org.operator);
    let { token } = await signInAs(member.email);
    // The person's one factor is a passkey, added right after signing in (no factor yet: a recent sign-in was enough).
    const passkey = await addPasskey(await principalForToken(token), "Laptop");
    // Someone with the cookie and the password: an old sign-in, then a fresh password step-up.
    const { sessionId } = (await sessionFor(token)).session;
    await ageSessionProofs(sessionId, 20, { reauthenticated: true });
    token = (await runCommand(reauthenticateCommand, await principalForToken(token), requestMeta(), { password: TEST_PASSWORD })).sessionToken;
    const passwordOnly = await principalForToken(token);
    expect(passwordOnly.sessionAuth).toMatchObject({ mfaVerifiedAt: null });
    // The half-finished ceremonies a confirmation or an addition would need, started with an MFA check.
    const withMfa: Principal = { ...passwordOnly, sessionAuth: { reauthenticatedAt: new Date(), mfaVerifiedAt: new Date() } };
    await runCommand(startTotpEnrollmentCommand, withMfa, requestMeta(), {});
    const options = await runCommand(startPasskeyRegistrationCommand, withMfa, requestMeta(), {});
    const response = new SoftAuthenticator().createRegistrationResponse(options, { origin: ORIGIN });

    const attempts: Array<[string, () => Promise<unknown>]> = [
      ["start-totp-enrollment", () => runCommand(startTotpEnrollmentCommand, passwordOnly, requestMeta(), {})],
      ["confirm-totp-enrollment", () => runCommand(confirmTotpEnrollmentCommand, passwordOnly, requestMeta(), { code: "123456" })],
      ["remove-totp", () => runCommand(removeTotpCommand, passwordOnly, requestMeta(), {})],
      ["start-passkey-registration", () => runCommand(startPasskeyRegistrationCommand, passwordOnly, requestMeta(), {})],
      ["add-passkey", () => runCommand(addPasskeyCommand, passwordOnly, requestMeta(), { name: "Thief's key", response })],
      ["remove-passkey", () => runCommand(removePasskeyCommand, passwordOnly, requestMeta(), { passkeyId: passkey.id })],
      ["regenerate-recovery-codes", () => runCommand(regenerateRecoveryCodesCommand, passwordOnly, requestMeta(), {})],
    ];
    for (const [name, attempt] of attempts) {
      const error = await attempt().catch((e: unknown) => e);
      expect(error, name).toBeInstanceOf(StepUpRequiredError);
      expect((error as StepUpRequiredError).kind, name).toBe("mfa");
    }
    const [totp] = await getDb().select().from(totpFactors).where(eq(totpFactors.userId, member.userId));
    expect(totp?.confirmedAt ?? null).toBeNull();
    expect(await factorsLeft(member.userId)).toEqual({ totp: 1, passkeys: 1 });
  });

  it("a voluntary enrollment does not count as an MFA check: the session keeps its id and gets no MFA time; a forced one finishes the sign-in", async () => {
    const org = await makeOrg();
    const buyer = await makeMember(org.operator);
    const signedIn = await signInAs(buyer.email);
    const principal = await principalForToken(signedIn.token);
    const { secret } = await runCommand(startTotpEnrollmentCommand, principal, requestMeta(), {});
    await awayFromStepBoundary();
    const confirmed = await runCommand(confirmTotpEnrollmentCommand, principal, requestMeta(), { code: currentTotp(secret) });
    expect(confirmed.sessionToken).toBeNull();
    expect(confirmed.recoveryCodes).toHaveLength(10);
    expect(await resolveSession(getDb(), signedIn.token)).toMatchObject({ pending: null, mfaVerifiedAt: null });
    // So the new factor cannot be used to change factors without being checked first.
    await expect(runCommand(regenerateRecoveryCodesCommand, await principalForToken(signedIn.token), requestMeta(), {})).rejects.toMatchObject({ kind: "mfa" });

    const admin = await makeMember(org.operator, { roleName: "Admin" });
    const forced = await signInAs(admin.email);
    expect(forced.pending).toBe("enrollment");
    const enrolled = await enrollTotp(forced.token);
    expect(enrolled.token).not.toBe(forced.token);
    expect(await resolveSession(getDb(), enrolled.token)).toMatchObject({ pending: null, mfaVerifiedAt: expect.any(Date) });
  });
});

describe("MFA is required for every member who holds an admin-class permission: two factor removals at once", () => {
  it("removing the authenticator app and the passkey in parallel: one goes through, the other is refused, one factor is left", async () => {
    for (let round = 0; round < 4; round++) {
      const { admin, principal, passkey } = await adminWithTwoFactors();
      const results = await Promise.allSettled([
        runCommand(removeTotpCommand, principal, requestMeta(), {}),
        runCommand(removePasskeyCommand, principal, requestMeta(), { passkeyId: passkey.id }),
      ]);
      expect(results.filter((r) => r.status === "fulfilled"), `round ${round}`).toHaveLength(1);
      expect((results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
      const left = await factorsLeft(admin.userId);
      expect(left.totp + left.passkeys, `round ${round}`).toBe(1);
    }
  }, 120_000);
});

describe("Nothing crosses tenants: the widened read behind the last-factor check", () => {
  it("assertFactorRemovable puts the caller's row-level-security scope back exactly as it was", async () => {
    const org = await makeOrg();
    const buyer = await makeMember(org.operator);
    const scopes = [
      { orgId: org.id, userId: buyer.userId, bypass: false },
      { orgId: null, userId: buyer.userId, bypass: false },
      { orgId: org.id, userId: null, bypass: true },
    ];
    for (const scope of scopes) {
      const after = await withTenantScope(scope, async (tx) => {
        // Their last factor (a Buyer may remove it), so the cross-org policy read happens.
        await assertFactorRemovable(tx, buyer.userId, { totp: true, passkeys: 0, recoveryCodesLeft: 0 }, "totp");
        const [row] = await tx.execute<{ org: string; user: string; bypass: string }>(
          sql`select current_setting('countersign.org_id', true) as org, current_setting('countersign.user_id', true) as user, current_setting('countersign.bypass', true) as bypass`,
        );
        return row;
      });
      expect(after).toEqual({ org: scope.orgId ?? "", user: scope.userId ?? "", bypass: scope.bypass ? "on" : "off" });
    }
  });
});
