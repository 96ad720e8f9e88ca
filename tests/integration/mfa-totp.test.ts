import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { recoveryCodes, totpFactors, webauthnCredentials } from "@/db/schema";
import { runCommand } from "@/lib/core/command";
import { ConflictError, ForbiddenError, RateLimitedError, UnauthorizedError } from "@/lib/core/errors";
import { reauthenticateCommand } from "@/lib/identity/reauthenticate";
import { resolveSession } from "@/lib/identity/resolve-session";
import { revokeOtherSessionsCommand } from "@/lib/identity/revoke-own-sessions";
import { confirmTotpEnrollmentCommand } from "@/lib/mfa/confirm-totp-enrollment";
import { hashRecoveryCode } from "@/lib/mfa/recovery-codes";
import { MfaKeyError, openSecret } from "@/lib/mfa/secret-box";
import { regenerateRecoveryCodesCommand } from "@/lib/mfa/regenerate-recovery-codes";
import { describeMfaRequirement, readMfaRequirement } from "@/lib/identity/mfa-requirement";
import { removeTotpCommand } from "@/lib/mfa/remove-totp";
import { startTotpEnrollmentCommand } from "@/lib/mfa/start-totp-enrollment";
import { base32Decode, timeStep, totpCode } from "@/lib/mfa/totp";
import { verifySecondFactorCommand, type SecondFactorInput } from "@/lib/mfa/verify-second-factor";
import { setMfaPolicyCommand } from "@/lib/orgs/set-mfa-policy";
import { asOperator } from "../support/as-operator";
import { makeMember, makeOrg, TEST_PASSWORD } from "../support/factories";
import { awayFromStepBoundary, currentTotp, enrollTotp, memberPrincipalFor, principalForToken, requestMeta, signInAs, verifyTotpFor } from "../support/sign-in-helpers";

/** A second-factor check on the session behind `token`; resolves to the new cookie value or the refusal. */
async function verify(token: string, input: SecondFactorInput): Promise<{ token: string } | { error: unknown }> {
  return runCommand(verifySecondFactorCommand, await principalForToken(token), requestMeta(), input).then(
    (r) => ({ token: r.sessionToken }),
    (error: unknown) => ({ error }),
  );
}

const codeAt = (secret: string, step: number) => totpCode(base32Decode(secret), step);

async function mfaFailures(userId: string, since: number) {
  const rows = await asOperator((tx) =>
    tx.execute<{ actor_id: string; metadata: Record<string, unknown> }>(
      sql`select actor_id, metadata from audit_events where action = 'auth.mfa.failed' and actor_id = ${userId} and id > ${since} order by id`,
    ),
  );
  return rows.map((r) => r.metadata.reason);
}

async function auditMark(): Promise<number> {
  const [row] = await asOperator((tx) => tx.execute<{ id: number }>(sql`select coalesce(max(id), 0)::int as id from audit_events`));
  return row!.id;
}

/**
 * A member with an authenticator app whose session has just passed an MFA check (changing
 * factors needs one once a factor exists); the codes used are forgotten so every step is free again.
 */
async function memberWithTotp(roleName = "Buyer") {
  const org = await makeOrg();
  const member = await makeMember(org.operator, { roleName });
  const first = await signInAs(member.email);
  const enrolled = await enrollTotp(first.token);
  const token = await verifyTotpFor(enrolled.token, enrolled.secret);
  await getDb().update(totpFactors).set({ lastUsedStep: null }).where(eq(totpFactors.userId, member.userId));
  return { org, member, ...enrolled, token };
}

function refusal(outcome: { token: string } | { error: unknown }) {
  if (!("error" in outcome)) throw new Error("expected a refusal");
  return outcome.error as { auditDetail?: { reason?: string } };
}

describe("TOTP (RFC 6238): a code works once, even when two requests race", () => {
  it("the same code twice on one session: the second is refused as replayed", async () => {
    const { member, secret } = await memberWithTotp();
    const pending = await signInAs(member.email);
    await awayFromStepBoundary();
    const code = codeAt(secret, timeStep(Date.now()));
    const first = await verify(pending.token, { method: "totp", code });
    expect(first).toHaveProperty("token");
    const second = await verify((first as { token: string }).token, { method: "totp", code });
    expect(refusal(second)).toBeInstanceOf(UnauthorizedError);
    expect(refusal(second).auditDetail?.reason).toBe("totp-replayed");
  });

  it("two sign-ins racing with one code: exactly one succeeds, the other is refused as replayed and stays pending", async () => {
    const { member, secret } = await memberWithTotp();
    const a = await signInAs(member.email);
    const b = await signInAs(member.email);
    expect([a.pending, b.pending]).toEqual(["mfa", "mfa"]);
    const [pa, pb] = [await principalForToken(a.token), await principalForToken(b.token)];
    const mark = await auditMark();
    await awayFromStepBoundary();
    const code = codeAt(secret, timeStep(Date.now()));
    const results = await Promise.allSettled([
      runCommand(verifySecondFactorCommand, pa, requestMeta(), { method: "totp", code }),
      runCommand(verifySecondFactorCommand, pb, requestMeta(), { method: "totp", code }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const lost = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(lost.reason).toBeInstanceOf(UnauthorizedError);
    expect(await mfaFailures(member.userId, mark)).toEqual(["totp-replayed"]);
    const loser = results[0]!.status === "rejected" ? a : b;
    expect(await resolveSession(getDb(), loser.token)).toMatchObject({ pending: "mfa" });
  });
});

describe("TOTP (RFC 6238): 30 s step, drift of ±1 step accepted and ±2 rejected", () => {
  it("through the sign-in command: the codes of two steps away are refused, one step behind and one ahead pass", async () => {
    const { member, secret } = await memberWithTotp();
    const pending = await signInAs(member.email);
    const mark = await auditMark();
    await awayFromStepBoundary(10);
    const now = timeStep(Date.now());
    for (const offset of [-2, 2]) {
      const outcome = await verify(pending.token, { method: "totp", code: codeAt(secret, now + offset) });
      expect(refusal(outcome)).toBeInstanceOf(UnauthorizedError);
    }
    const behind = await verify(pending.token, { method: "totp", code: codeAt(secret, now - 1) });
    expect(behind).toHaveProperty("token");
    const ahead = await verify((behind as { token: string }).token, { method: "totp", code: codeAt(secret, now + 1) });
    expect(ahead).toHaveProperty("token");
    // Steps only move forward: the current step's code is older than the one just used.
    const older = await verify((ahead as { token: string }).token, { method: "totp", code: codeAt(secret, now) });
    expect(refusal(older).auditDetail?.reason).toBe("totp-replayed");
    expect(await mfaFailures(member.userId, mark)).toEqual(["totp-wrong-code", "totp-wrong-code", "totp-replayed"]);
  });

  it("wrong codes are throttled per user: after the free failures even the right code is refused, and the wait is not counted", async () => {
    const { member, secret } = await memberWithTotp();
    const pending = await signInAs(member.email);
    await awayFromStepBoundary(10);
    const now = timeStep(Date.now());
    const wrong = String((Number(codeAt(secret, now)) + 500_000) % 1_000_000).padStart(6, "0");
    for (let i = 0; i < 4; i++) expect(refusal(await verify(pending.token, { method: "totp", code: wrong }))).toBeInstanceOf(UnauthorizedError);
    expect(refusal(await verify(pending.token, { method: "totp", code: codeAt(secret, now) }))).toBeInstanceOf(RateLimitedError);
    const [row] = await getDb().execute<{ failures: number }>(sql`select failures from auth_throttle where key = ${`mfa:${member.userId}`}`);
    expect(row!.failures).toBe(4);
    await getDb().execute(sql`update auth_throttle set last_failure_at = now() - interval '1 minute' where key = ${`mfa:${member.userId}`}`);
    expect(await verify(pending.token, { method: "totp", code: codeAt(secret, now) })).toHaveProperty("token");
    expect(await getDb().execute(sql`select 1 from auth_throttle where key = ${`mfa:${member.userId}`}`)).toHaveLength(0);
  });
});

describe("Throttle per account and per IP, with a growing delay. Block after 100 consecutive failures. A success resets the count.", () => {
  it("100 consecutive wrong second factors block the check for good, even with the right code, and a password reset is not offered as the way out", async () => {
    const { member, secret, recoveryCodes: codes } = await memberWithTotp();
    const pending = await signInAs(member.email);
    const key = `mfa:${member.userId}`;
    for (let i = 0; i < 100; i++) {
      await getDb().execute(sql`update auth_throttle set last_failure_at = now() - interval '1 day' where key = ${key}`);
      expect(refusal(await verify(pending.token, { method: "recovery-code", code: "wrong-wrong-wrong-wrong" }))).toBeInstanceOf(UnauthorizedError);
    }
    await getDb().execute(sql`update auth_throttle set last_failure_at = now() - interval '30 days' where key = ${key}`);
    await awayFromStepBoundary();
    for (const input of [{ method: "totp", code: codeAt(secret, timeStep(Date.now())) }, { method: "recovery-code", code: codes[0]! }] as const) {
      const blocked = refusal(await verify(pending.token, input));
      expect(blocked).toBeInstanceOf(RateLimitedError);
      expect((blocked as unknown as Error).message).toMatch(/blocked/);
      expect((blocked as unknown as Error).message).not.toMatch(/password/);
    }
    expect(await resolveSession(getDb(), pending.token)).toMatchObject({ pending: "mfa" });
  }, 60_000);
});

describe("TOTP secrets are sealed at rest", () => {
  it("the stored secret is AES-GCM ciphertext bound to its owner; codes still verify, and a row copied to another user does not open", async () => {
    const { member, secret, token } = await memberWithTotp();
    const [row] = await getDb().select().from(totpFactors).where(eq(totpFactors.userId, member.userId));
    expect(row!.secret).toMatch(/^v1:/);
    expect(row!.secret).not.toContain(secret);
    expect(JSON.stringify(await getDb().execute(sql`select * from totp_factors`))).not.toContain(secret);
    expect(openSecret(row!.secret, member.userId)).toBe(secret);
    expect(() => openSecret(row!.secret, crypto.randomUUID())).toThrow(MfaKeyError);
    // The sealed value verifies a sign-in as before.
    await verifyTotpFor(token, secret);

    // Copied onto another person's row, it is refused rather than accepted as theirs.
    const other = await memberWithTotp();
    await getDb().update(totpFactors).set({ secret: row!.secret }).where(eq(totpFactors.userId, other.member.userId));
    const pending = await signInAs(other.member.email);
    await expect(runCommand(verifySecondFactorCommand, await principalForToken(pending.token), requestMeta(), { method: "totp", code: currentTotp(secret) })).rejects.toThrow(MfaKeyError);
  });
});

describe("Recovery codes are single-use and stored hashed", () => {
  it("enrollment shows ten codes once and stores only their hashes", async () => {
    const { member, recoveryCodes: codes } = await memberWithTotp();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[0-9a-z]{5}(-[0-9a-z]{5}){3}$/);
    const rows = await getDb().select().from(recoveryCodes).where(eq(recoveryCodes.userId, member.userId));
    expect(rows.map((r) => r.codeHash).sort()).toEqual(codes.map(hashRecoveryCode).sort());
    const table = JSON.stringify(await getDb().execute(sql`select * from recovery_codes`));
    for (const code of codes) {
      expect(table).not.toContain(code);
      expect(table).not.toContain(code.replace(/-/g, ""));
    }
  });

  it("a code finishes a sign-in once; the second time it is refused", async () => {
    const { member, recoveryCodes: codes } = await memberWithTotp();
    const mark = await auditMark();
    const first = await signInAs(member.email);
    expect(await verify(first.token, { method: "recovery-code", code: codes[0]! })).toHaveProperty("token");
    const second = await signInAs(member.email);
    const again = await verify(second.token, { method: "recovery-code", code: codes[0]! });
    expect(refusal(again)).toBeInstanceOf(UnauthorizedError);
    expect(await mfaFailures(member.userId, mark)).toEqual(["recovery-code-invalid"]);
    // Typed in capitals and without dashes, another code still works.
    expect(await verify(second.token, { method: "recovery-code", code: codes[1]!.toUpperCase().replace(/-/g, "") })).toHaveProperty("token");
    const [left] = await getDb().execute<{ n: number }>(sql`select count(*)::int as n from recovery_codes where user_id = ${member.userId} and used_at is null`);
    expect(left!.n).toBe(8);
  });

  it("two sign-ins racing with one recovery code: exactly one succeeds", async () => {
    const { member, recoveryCodes: codes } = await memberWithTotp();
    const [a, b] = [await signInAs(member.email), await signInAs(member.email)];
    const [pa, pb] = [await principalForToken(a.token), await principalForToken(b.token)];
    const results = await Promise.allSettled([pa, pb].map((p) => runCommand(verifySecondFactorCommand, p, requestMeta(), { method: "recovery-code", code: codes[2]! })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  });

  it("regenerating replaces every code: the old ones stop working, the new ones work", async () => {
    const { member, recoveryCodes: old, token } = await memberWithTotp();
    const { recoveryCodes: fresh } = await runCommand(regenerateRecoveryCodesCommand, await principalForToken(token), requestMeta(), {});
    expect(fresh).toHaveLength(10);
    expect(fresh.filter((c) => old.includes(c))).toEqual([]);
    const rows = await getDb().select({ codeHash: recoveryCodes.codeHash }).from(recoveryCodes).where(eq(recoveryCodes.userId, member.userId));
    expect(rows.map((r) => r.codeHash).sort()).toEqual(fresh.map(hashRecoveryCode).sort());
    const pending = await signInAs(member.email);
    expect(refusal(await verify(pending.token, { method: "recovery-code", code: old[3]! }))).toBeInstanceOf(UnauthorizedError);
    expect(await verify(pending.token, { method: "recovery-code", code: fresh[0]! })).toHaveProperty("token");
  });
});

describe("MFA is required for every member who holds an admin-class permission", () => {
  it("an Admin without a factor must enroll; a Buyer need not; anyone with a factor is asked for it", async () => {
    const org = await makeOrg();
    const admin = await makeMember(org.operator, { roleName: "Admin" });
    const buyer = await makeMember(org.operator, { roleName: "Buyer" });
    expect((await signInAs(admin.email)).pending).toBe("enrollment");
    expect((await signInAs(buyer.email)).pending).toBeNull();
    const { member } = await memberWithTotp("Buyer");
    expect((await signInAs(member.email)).pending).toBe("mfa");
  });

  it("an org that requires MFA of everyone makes a Buyer enroll; the policy is set by an admin who stepped up", async () => {
    const org = await makeOrg();
    const admin = await makeMember(org.operator, { roleName: "Admin" });
    const buyer = await makeMember(org.operator, { roleName: "Buyer" });
    const { token } = await enrollTotp((await signInAs(admin.email)).token);
    const adminPrincipal = await memberPrincipalFor(token, org.slug);
    await expect(runCommand(setMfaPolicyCommand, adminPrincipal, requestMeta(), { requireMfa: true })).resolves.toEqual({ requireMfa: true });

    const signedIn = await signInAs(buyer.email);
    expect(signedIn.pending).toBe("enrollment");
    // Enrolling finishes the sign-in, with a new id.
    const enrolled = await enrollTotp(signedIn.token);
    expect(await resolveSession(getDb(), signedIn.token)).toBeNull();
    expect(await resolveSession(getDb(), enrolled.token)).toMatchObject({ pending: null, mfaVerifiedAt: expect.any(Date) });
  });

  it("while a sign-in is pending, nothing else is allowed: 'Finish signing in first.'", async () => {
    const org = await makeOrg();
    const admin = await makeMember(org.operator, { roleName: "Admin" });
    const { member } = await memberWithTotp();
    for (const email of [admin.email, member.email]) {
      const pending = await signInAs(email);
      const principal = await principalForToken(pending.token);
      await expect(runCommand(revokeOtherSessionsCommand, principal, requestMeta(), {})).rejects.toThrow(new ForbiddenError("Finish signing in first."));
      expect(await resolveSession(getDb(), pending.token)).toMatchObject({ pending: pending.pending });
    }
    // The password again: refused while the second factor is due; while enrollment is due it is
    // accepted (setting up a factor needs a recent sign-in) but does not finish the sign-in.
    const waitingForFactor = await signInAs(member.email);
    await expect(runCommand(reauthenticateCommand, await principalForToken(waitingForFactor.token), requestMeta(), { password: TEST_PASSWORD })).rejects.toThrow("Finish signing in first.");
    const waitingForEnrollment = await signInAs(admin.email);
    const { sessionToken } = await runCommand(reauthenticateCommand, await principalForToken(waitingForEnrollment.token), requestMeta(), { password: TEST_PASSWORD });
    expect(await resolveSession(getDb(), sessionToken)).toMatchObject({ pending: "enrollment", mfaVerifiedAt: null });
  });

  it("a pending second-factor step cannot be skipped by setting up a new authenticator app", async () => {
    const org = await makeOrg();
    const member = await makeMember(org.operator);
    // Their only factor is a passkey (test setup writes it directly).
    await getDb().insert(webauthnCredentials).values({ userId: member.userId, credentialId: "cred-" + member.userId, publicKey: "AQID", name: "Laptop" });
    const pending = await signInAs(member.email);
    expect(pending.pending).toBe("mfa");
    const principal = await principalForToken(pending.token);
    await expect(runCommand(startTotpEnrollmentCommand, principal, requestMeta(), {})).rejects.toBeInstanceOf(ForbiddenError);
    await expect(runCommand(confirmTotpEnrollmentCommand, principal, requestMeta(), { code: "123456" })).rejects.toBeInstanceOf(ForbiddenError);
    expect(await resolveSession(getDb(), pending.token)).toMatchObject({ pending: "mfa" });
    expect(await getDb().select().from(totpFactors).where(eq(totpFactors.userId, member.userId))).toEqual([]);
  });

  it("a leftover recovery code cannot stand in for the enrollment that policy requires", async () => {
    const { org, member, recoveryCodes: codes, token } = await memberWithTotp("Buyer");
    // A Buyer may remove their only factor; its recovery codes go with it.
    await runCommand(removeTotpCommand, await principalForToken(token), requestMeta(), {});
    expect(await getDb().select().from(recoveryCodes).where(eq(recoveryCodes.userId, member.userId))).toEqual([]);
    // Codes left behind some other way (removing a last passkey leaves them today) still do not count.
    await getDb().insert(recoveryCodes).values({ userId: member.userId, codeHash: hashRecoveryCode(codes[0]!) });
    await runCommand(setMfaPolicyCommand, org.operator, requestMeta(), { requireMfa: true });
    const pending = await signInAs(member.email);
    expect(pending.pending).toBe("enrollment");
    expect(refusal(await verify(pending.token, { method: "recovery-code", code: codes[0]! }))).toBeInstanceOf(ForbiddenError);
    expect(await resolveSession(getDb(), pending.token)).toMatchObject({ pending: "enrollment" });
    expect(await getDb().select({ usedAt: recoveryCodes.usedAt }).from(recoveryCodes).where(eq(recoveryCodes.userId, member.userId))).toEqual([{ usedAt: null }]);
  });

  it("an admin cannot remove their last second factor; a Buyer can", async () => {
    const admin = await memberWithTotp("Admin");
    const refused = await runCommand(removeTotpCommand, await principalForToken(admin.token), requestMeta(), {}).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ConflictError);
    // The message is true about why: the role, named with its org.
    expect((refused as Error).message).toBe(`This is your last second factor. Your role needs two-step verification: Admin at ${admin.org.name} can change who may do what. Add another one before removing it.`);
    expect(await getDb().select().from(totpFactors).where(eq(totpFactors.userId, admin.member.userId))).toHaveLength(1);
    expect((await signInAs(admin.member.email)).pending).toBe("mfa");

    const buyer = await memberWithTotp("Buyer");
    await runCommand(removeTotpCommand, await principalForToken(buyer.token), requestMeta(), {});
    expect((await signInAs(buyer.member.email)).pending).toBeNull();
  });

  it("where the org requires MFA of everyone, a Buyer is told it is the org's rule, not their role's", async () => {
    const buyer = await memberWithTotp("Buyer");
    await runCommand(setMfaPolicyCommand, buyer.org.operator, requestMeta(), { requireMfa: true });
    const refused = await runCommand(removeTotpCommand, await principalForToken(buyer.token), requestMeta(), {}).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ConflictError);
    expect((refused as Error).message).toBe(`This is your last second factor. ${buyer.org.name} requires two-step verification of every member. Add another one before removing it.`);
    expect(describeMfaRequirement(await readMfaRequirement(buyer.member.userId))).not.toMatch(/role/);
  });
});
