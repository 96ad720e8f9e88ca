import { performance } from "node:perf_hooks";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { authThrottle, users } from "@/db/schema";
import { runCommand } from "@/lib/core/command";
import { httpStatusFor, RateLimitedError, UnauthorizedError, ValidationError } from "@/lib/core/errors";
import { anonymousPrincipal } from "@/lib/identity/anonymous-principal";
import { changePasswordCommand } from "@/lib/identity/change-password";
import { BLOCK_AFTER_FAILURES, delaySeconds } from "@/lib/identity/checks/throttle";
import { reauthenticateCommand } from "@/lib/identity/reauthenticate";
import { resolveSession } from "@/lib/identity/resolve-session";
import { GENERIC_SIGN_IN_FAILURE, signInCommand } from "@/lib/identity/sign-in";
import { signOutCommand } from "@/lib/identity/sign-out";
import { verifySecondFactorCommand } from "@/lib/mfa/verify-second-factor";
import { makeMember, makeOrg, TEST_PASSWORD, unique } from "../support/factories";
import { awayFromStepBoundary, currentTotp, enrollTotp, principalForToken, requestMeta, signInAs } from "../support/sign-in-helpers";
import { operatorDb } from "../support/as-operator";

const WRONG_PASSWORD = "not the right password at all";

/** One sign-in attempt through the command; resolves to the error it was refused with (or null). */
async function attempt(email: string, password: string, ip: string | null = null): Promise<unknown> {
  return runCommand(signInCommand, anonymousPrincipal(), requestMeta(ip), { email, password }).then(
    () => null,
    (error: unknown) => error,
  );
}

async function throttleRow(key: string) {
  const [row] = await operatorDb().select().from(authThrottle).where(eq(authThrottle.key, key));
  return row ?? null;
}

/** Test setup: pretend the last failure on `key` happened `seconds` ago, to skip waiting. */
async function moveLastFailureBack(key: string, seconds: number) {
  await operatorDb().execute(sql`update auth_throttle set last_failure_at = now() - make_interval(secs => ${seconds}) where key = ${key}`);
}

const clearThrottle = () => operatorDb().execute(sql`delete from auth_throttle`);
// A fresh address per test: a random one could repeat an address an earlier test of this file
// left counted or waiting, and the attempt would be throttled (1 run in 10 failed that way).
let ipCount = 0;
const newIp = () => `198.51.100.${++ipCount}`;
const unknownEmail = () => `${unique("nobody")}@example.test`;

async function auditJson(): Promise<string> {
  return JSON.stringify(await operatorDb().execute(sql`select * from audit_events order by id`));
}

/** The id of the latest audit row, so a test reads only the rows it caused. */
async function auditMark(): Promise<number> {
  const [row] = await operatorDb().execute<{ id: number }>(sql`select coalesce(max(id), 0)::int as id from audit_events`);
  return row!.id;
}

async function auditRows(action: string, since: number) {
  return operatorDb().execute<{ actor_id: string | null; actor_label: string; outcome: string; target_id: string | null; metadata: Record<string, unknown> }>(
    sql`select actor_id, actor_label, outcome, target_id, metadata from audit_events where action = ${action} and id > ${since} order by id`,
  );
}

describe("Store passwords with argon2id (or scrypt). Never log them, and never echo them back", () => {
  it("the stored hash is argon2id, and neither the result, the errors nor the audit rows of a sign-in flow carry the password", async () => {
    const org = await makeOrg();
    const member = await makeMember(org.operator);
    const [user] = await operatorDb().select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, member.userId));
    expect(user!.passwordHash).toMatch(/^\$argon2id\$v=19\$/);
    expect(user!.passwordHash).not.toContain(TEST_PASSWORD);

    const result = await runCommand(signInCommand, anonymousPrincipal(), requestMeta("203.0.113.10"), { email: member.email, password: TEST_PASSWORD });
    expect(JSON.stringify(result)).not.toContain(TEST_PASSWORD);
    const wrong = await attempt(member.email, WRONG_PASSWORD, "203.0.113.10");
    expect(wrong).toBeInstanceOf(UnauthorizedError);
    expect(JSON.stringify({ message: (wrong as UnauthorizedError).message, detail: (wrong as UnauthorizedError).auditDetail })).not.toContain(WRONG_PASSWORD);
    await runCommand(signOutCommand, await principalForToken(result.sessionToken), requestMeta(), {});

    const trail = await auditJson();
    expect(trail).toContain("auth.signin.succeeded");
    expect(trail).toContain("auth.signin.failed");
    for (const secret of [TEST_PASSWORD, WRONG_PASSWORD, user!.passwordHash!]) expect(trail).not.toContain(secret);
  });
});

describe("A wrong password and an unknown user give the same response: same body, same status, same timing (within jitter)", () => {
  it("a wrong password, an unknown email, a disabled user and a user without an active membership are refused identically", async () => {
    const org = await makeOrg();
    const member = await makeMember(org.operator);
    const disabled = await makeMember(org.operator);
    await operatorDb().update(users).set({ disabledAt: new Date() }).where(eq(users.id, disabled.userId));
    const mark = await auditMark();
    const errors = [await attempt(member.email, WRONG_PASSWORD), await attempt(unknownEmail(), WRONG_PASSWORD), await attempt(disabled.email, TEST_PASSWORD)];
    for (const error of errors) {
      expect(error).toBeInstanceOf(UnauthorizedError);
      expect(error).toMatchObject({ name: "UnauthorizedError", code: "unauthorized", message: GENERIC_SIGN_IN_FAILURE });
      expect(httpStatusFor[(error as UnauthorizedError).code]).toBe(401);
    }
    // The reason is on the record for the operator, never in the answer.
    const reasons = (await auditRows("auth.signin.failed", mark)).map((r) => r.metadata.reason);
    expect(reasons).toEqual(["bad-password", "unknown-user", "user-disabled"]);
  });

  it("the median time of a wrong password and of an unknown email differ by less than a factor of two", async () => {
    const org = await makeOrg();
    const member = await makeMember(org.operator);
    const nobody = unknownEmail();
    const timeOne = async (email: string) => {
      await clearThrottle(); // measure the password check, not the throttle
      const start = performance.now();
      const error = await attempt(email, WRONG_PASSWORD);
      const elapsed = performance.now() - start;
      expect(error).toBeInstanceOf(UnauthorizedError);
      return elapsed;
    };
    // Warm-up: the first unknown-user check builds its dummy hash once.
    await timeOne(nobody);
    await timeOne(member.email);
    const known: number[] = [];
    const unknown: number[] = [];
    // Interleaved, so a burst of load on the box hits both series alike.
    for (let i = 0; i < 15; i++) {
      known.push(await timeOne(member.email));
      unknown.push(await timeOne(nobody));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const ratio = median(known) / median(unknown);
    expect(ratio, `known ${median(known).toFixed(1)} ms, unknown ${median(unknown).toFixed(1)} ms`).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  }, 60_000);
});

describe("Throttle per account and per IP, with a growing delay. Block after 100 consecutive failures. A success resets the count.", () => {
  it("after the free failures the next attempt is refused, even with the right password, and a throttled attempt is not counted", async () => {
    const org = await makeOrg();
    const member = await makeMember(org.operator);
    const key = `account:${member.email.toLowerCase()}`;
    const mark = await auditMark();
    for (let i = 0; i < 4; i++) expect(await attempt(member.email, WRONG_PASSWORD)).toBeInstanceOf(UnauthorizedError);
    expect((await throttleRow(key))?.failures).toBe(4);

    const refused = await attempt(member.email, TEST_PASSWORD);
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect(httpStatusFor[(refused as RateLimitedError).code]).toBe(429);
    expect((refused as RateLimitedError).retryAfterSeconds).toBe(1);
    expect((refused as RateLimitedError).message).toBe("Too many failed attempts. Try again in 1 second.");
    // Neither a throttled right password nor a throttled wrong one opens a session or adds a failure.
    expect(await attempt(member.email, WRONG_PASSWORD)).toBeInstanceOf(RateLimitedError);
    expect((await throttleRow(key))?.failures).toBe(4);
    expect(await operatorDb().execute(sql`select 1 from sessions where user_id = ${member.userId}`)).toHaveLength(0);
    // Throttled attempts are on the record too.
    const failed = await auditRows("auth.signin.failed", mark);
    expect(failed).toHaveLength(6);
    // They name the email tried and say they were throttled, like any failed attempt's record.
    expect(failed.slice(4).map((r) => r.metadata)).toEqual([
      expect.objectContaining({ email: member.email, reason: "throttled", retryAfterSeconds: 1 }),
      expect.objectContaining({ email: member.email, reason: "throttled", retryAfterSeconds: 1 }),
    ]);
  });

  it("the delay grows with each further failure, and the count ignores case and spaces in the email", async () => {
    const org = await makeOrg();
    const member = await makeMember(org.operator);
    const key = `account:${member.email.toLowerCase()}`;
    const spellings = [member.email, member.email.toUpperCase(), `  ${member.email}  `];
    for (let i = 0; i < 3; i++) expect(await attempt(spellings[i]!, WRONG_PASSWORD)).toBeInstanceOf(UnauthorizedError);
    expect((await throttleRow(key))?.failures).toBe(3);

    const waits: number[] = [];
    for (let failures = 4; failures <= 8; failures++) {
      await moveLastFailureBack(key, 3600); // the previous delay has passed
      expect(await attempt(spellings[failures % 3]!, WRONG_PASSWORD)).toBeInstanceOf(UnauthorizedError);
      expect((await throttleRow(key))?.failures).toBe(failures);
      const refused = await attempt(member.email, TEST_PASSWORD);
      expect(refused).toBeInstanceOf(RateLimitedError);
      waits.push((refused as RateLimitedError).retryAfterSeconds);
      expect((refused as RateLimitedError).retryAfterSeconds).toBeLessThanOrEqual(delaySeconds(failures, 3));
    }
    expect(waits).toEqual([1, 2, 4, 8, 16]);
    expect([4, 5, 6, 7, 8].map((n) => delaySeconds(n, 3))).toEqual([1, 2, 4, 8, 16]);
    // The delay is capped at 15 minutes.
    expect(delaySeconds(99, 3)).toBe(900);
  });

  it("a success after the delay clears the account's count", async () => {
    const org = await makeOrg();
    const member = await makeMember(org.operator);
    const ip = newIp();
    const key = `account:${member.email.toLowerCase()}`;
    for (let i = 0; i < 4; i++) await attempt(member.email, WRONG_PASSWORD, ip);
    expect(await attempt(member.email, TEST_PASSWORD, ip)).toBeInstanceOf(RateLimitedError);
    await new Promise((resolve) => setTimeout(resolve, 1_200)); // the real one-second delay
    await expect(signInAs(member.email, TEST_PASSWORD, ip)).resolves.toMatchObject({ userId: member.userId });
    expect(await throttleRow(key)).toBeNull();
    // The address keeps its count: one valid account must not let a guesser there start over.
    expect((await throttleRow(`ip:${ip}`))?.failures).toBe(4);
    // Free failures start again from zero.
    for (let i = 0; i < 3; i++) expect(await attempt(member.email, WRONG_PASSWORD, ip)).toBeInstanceOf(UnauthorizedError);
    await expect(signInAs(member.email, TEST_PASSWORD, ip)).resolves.toMatchObject({ userId: member.userId });
  });

  it("a right password in a step-up or a password change resets the account's count too", async () => {
    const org = await makeOrg();
    const member = await makeMember(org.operator);
    const key = `account:${member.email.toLowerCase()}`;
    const { token } = await signInAs(member.email);
    for (let i = 0; i < 2; i++) expect(await attempt(member.email, WRONG_PASSWORD)).toBeInstanceOf(UnauthorizedError);
    const { sessionToken } = await runCommand(reauthenticateCommand, await principalForToken(token), requestMeta(), { password: TEST_PASSWORD });
    expect(await throttleRow(key)).toBeNull();
    for (let i = 0; i < 2; i++) expect(await attempt(member.email, WRONG_PASSWORD)).toBeInstanceOf(UnauthorizedError);
    await runCommand(changePasswordCommand, await principalForToken(sessionToken), requestMeta(), { currentPassword: TEST_PASSWORD, newPassword: "a fresh passphrase nobody uses" });
    expect(await throttleRow(key)).toBeNull();
  });

  it("an unknown email is throttled exactly like a known one", async () => {
    const org = await makeOrg();
    const member = await makeMember(org.operator);
    const nobody = unknownEmail();
    for (let i = 0; i < 4; i++) {
      const [known, unknown] = [await attempt(member.email, WRONG_PASSWORD), await attempt(nobody, WRONG_PASSWORD)];
      expect(known).toBeInstanceOf(UnauthorizedError);
      expect(unknown).toBeInstanceOf(UnauthorizedError);
      expect((unknown as Error).message).toBe((known as Error).message);
    }
    const known = await attempt(member.email, WRONG_PASSWORD);
    const unknown = await attempt(nobody, WRONG_PASSWORD);
    expect(known).toBeInstanceOf(RateLimitedError);
    expect(unknown).toBeInstanceOf(RateLimitedError);
    expect((unknown as RateLimitedError).message).toBe((known as RateLimitedError).message);
    expect((unknown as RateLimitedError).retryAfterSeconds).toBe((known as RateLimitedError).retryAfterSeconds);
    expect((await throttleRow(`account:${nobody}`))?.failures).toBe((await throttleRow(`account:${member.email.toLowerCase()}`))?.failures);
  });

  it("the per-IP count throttles a different email from the same address after its free failures", async () => {
    const org = await makeOrg();
    const member = await makeMember(org.operator);
    const ip = newIp();
    // 21 failures, spread over emails that each stay within their own free failures.
    for (let i = 0; i < 7; i++) {
      const email = unknownEmail();
      for (let j = 0; j < 3; j++) expect(await attempt(email, WRONG_PASSWORD, ip)).toBeInstanceOf(UnauthorizedError);
    }
    expect((await throttleRow(`ip:${ip}`))?.failures).toBe(21);
    expect(await attempt(member.email, TEST_PASSWORD, ip)).toBeInstanceOf(RateLimitedError);
    // The same person from another address is not affected.
    await expect(signInAs(member.email, TEST_PASSWORD, newIp().replace("198.51.100", "192.0.2"))).resolves.toMatchObject({ userId: member.userId });
    // Once the delay has passed, the address may try again.
    await moveLastFailureBack(`ip:${ip}`, 5);
    await expect(signInAs(member.email, TEST_PASSWORD, ip)).resolves.toMatchObject({ userId: member.userId });
  }, 60_000);

  it("attempts sent in parallel cannot get past the free failures", async () => {
    const org = await makeOrg();
    const member = await makeMember(org.operator);
    const outcomes = await Promise.all(Array.from({ length: 12 }, () => attempt(member.email, WRONG_PASSWORD)));
    const checked = outcomes.filter((e) => e instanceof UnauthorizedError).length;
    expect(outcomes.every((e) => e instanceof UnauthorizedError || e instanceof RateLimitedError)).toBe(true);
    // Three free failures and the fourth that starts the delay; everything else must wait. A
    // failure is counted before its slot is freed, so no racing attempt reads a stale count.
    expect(checked).toBeGreaterThanOrEqual(3);
    expect(checked).toBeLessThanOrEqual(4);
    expect((await throttleRow(`account:${member.email.toLowerCase()}`))?.failures).toBe(checked);

    // The same for an address spraying different emails: one more failure starts its delay.
    const ip = newIp();
    await operatorDb().insert(authThrottle).values({ key: `ip:${ip}`, failures: 20, lastFailureAt: new Date(Date.now() - 1_200_000) });
    const sprayed = await Promise.all(Array.from({ length: 12 }, () => attempt(unknownEmail(), WRONG_PASSWORD, ip)));
    const sprayChecked = sprayed.filter((e) => e instanceof UnauthorizedError).length;
    expect(sprayChecked).toBe(1);
    expect((await throttleRow(`ip:${ip}`))?.failures).toBe(21);
  }, 60_000);

  it("100 consecutive failures block the account, even after every delay has passed, until a reset", async () => {
    const org = await makeOrg();
    const member = await makeMember(org.operator);
    const key = `account:${member.email.toLowerCase()}`;
    for (let i = 0; i < BLOCK_AFTER_FAILURES; i++) {
      await moveLastFailureBack(key, 86_400); // skip the wait, keep the count
      expect(await attempt(member.email, WRONG_PASSWORD)).toBeInstanceOf(UnauthorizedError);
    }
    expect((await throttleRow(key))?.failures).toBe(100);
    await moveLastFailureBack(key, 30 * 86_400);
    const blocked = await attempt(member.email, TEST_PASSWORD);
    expect(blocked).toBeInstanceOf(RateLimitedError);
    expect((blocked as Error).message).toMatch(/blocked/);
    expect(await attempt(member.email, WRONG_PASSWORD)).toBeInstanceOf(RateLimitedError);
    expect((await throttleRow(key))?.failures).toBe(100);
  }, 120_000);

  it("an address with 100 consecutive failures is blocked for an hour, then may try again", async () => {
    const org = await makeOrg();
    const member = await makeMember(org.operator);
    const ip = newIp();
    // The last failure 20 minutes ago: past the longest delay (15 min), not yet forgotten (1 h).
    await operatorDb().insert(authThrottle).values({ key: `ip:${ip}`, failures: 99, lastFailureAt: new Date(Date.now() - 1_200_000) });
    expect(await attempt(unknownEmail(), WRONG_PASSWORD, ip)).toBeInstanceOf(UnauthorizedError);
    expect((await throttleRow(`ip:${ip}`))?.failures).toBe(100);
    await moveLastFailureBack(`ip:${ip}`, 3000);
    const refused = await attempt(member.email, TEST_PASSWORD, ip);
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect((refused as RateLimitedError).retryAfterSeconds).toBeGreaterThan(500);
    await moveLastFailureBack(`ip:${ip}`, 3700);
    await expect(signInAs(member.email, TEST_PASSWORD, ip)).resolves.toMatchObject({ userId: member.userId });
  });

  it("an address's count is forgotten after an hour without a failure, so an office's everyday typos never add up to a delay", async () => {
    const recent = newIp();
    const old = newIp().replace("198.51.100", "203.0.113");
    await operatorDb().insert(authThrottle).values([
      { key: `ip:${recent}`, failures: 30, lastFailureAt: new Date(Date.now() - 30 * 60_000) },
      { key: `ip:${old}`, failures: 30, lastFailureAt: new Date(Date.now() - 61 * 60_000) },
    ]);
    // Within the hour the count goes on (its 512 s delay has passed); after it, it starts again.
    expect(await attempt(unknownEmail(), WRONG_PASSWORD, recent)).toBeInstanceOf(UnauthorizedError);
    expect((await throttleRow(`ip:${recent}`))?.failures).toBe(31);
    expect(await attempt(unknownEmail(), WRONG_PASSWORD, old)).toBeInstanceOf(UnauthorizedError);
    expect((await throttleRow(`ip:${old}`))?.failures).toBe(1);
    // An account's count is never forgotten by time: only a success or a password reset clears it.
    const org = await makeOrg();
    const member = await makeMember(org.operator);
    const account = `account:${member.email.toLowerCase()}`;
    await operatorDb().insert(authThrottle).values({ key: account, failures: 10, lastFailureAt: new Date(Date.now() - 7 * 86_400_000) });
    expect(await attempt(member.email, WRONG_PASSWORD)).toBeInstanceOf(UnauthorizedError);
    expect((await throttleRow(account))?.failures).toBe(11);
  });
});

describe("Reject the most common passwords from a shipped list of thousands. Changing a password requires the current one.", () => {
  it("a wrong current password is refused and counted for throttling", async () => {
    const org = await makeOrg();
    const member = await makeMember(org.operator);
    const signedIn = await signInAs(member.email);
    const principal = await principalForToken(signedIn.token);
    const mark = await auditMark();
    const error = await runCommand(changePasswordCommand, principal, requestMeta(), { currentPassword: WRONG_PASSWORD, newPassword: "a fresh passphrase nobody uses" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect((await throttleRow(`account:${member.email.toLowerCase()}`))?.failures).toBe(1);
    const [row] = await auditRows("auth.password.change_failed", mark);
    expect(row).toMatchObject({ outcome: "denied", actor_id: member.userId, metadata: { reason: "bad-password" } });
    // The password did not change.
    await expect(signInAs(member.email)).resolves.toMatchObject({ userId: member.userId });
  });

  it("guessing the current password through the change form is throttled like sign-in", async () => {
    const org = await makeOrg();
    const member = await makeMember(org.operator);
    const principal = await principalForToken((await signInAs(member.email)).token);
    const change = (currentPassword: string) =>
      runCommand(changePasswordCommand, principal, requestMeta(), { currentPassword, newPassword: "a fresh passphrase nobody uses" }).catch((e: unknown) => e);
    for (let i = 0; i < 4; i++) expect(await change(WRONG_PASSWORD)).toBeInstanceOf(UnauthorizedError);
    expect(await change(TEST_PASSWORD)).toBeInstanceOf(RateLimitedError);
    expect(await attempt(member.email, TEST_PASSWORD)).toBeInstanceOf(RateLimitedError);
  });

  it("a common new password is refused naming newPassword", async () => {
    const org = await makeOrg();
    const member = await makeMember(org.operator);
    const principal = await principalForToken((await signInAs(member.email)).token);
    const error = await runCommand(changePasswordCommand, principal, requestMeta(), { currentPassword: TEST_PASSWORD, newPassword: "password1" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(Object.keys((error as ValidationError).fieldErrors)).toEqual(["newPassword"]);
    expect((error as ValidationError).fieldErrors.newPassword![0]).toMatch(/common/);
    await expect(signInAs(member.email)).resolves.toMatchObject({ userId: member.userId });
  });

  it("a change ends the person's other sessions but not the current one, and the new password works", async () => {
    const org = await makeOrg();
    const member = await makeMember(org.operator);
    const other = await signInAs(member.email);
    const current = await signInAs(member.email);
    const newPassword = "a fresh passphrase nobody uses";
    const result = await runCommand(changePasswordCommand, await principalForToken(current.token), requestMeta(), { currentPassword: TEST_PASSWORD, newPassword });
    expect(result).toEqual({ otherSessionsEnded: 1 });
    expect(await resolveSession(getDb(), other.token)).toBeNull();
    expect(await resolveSession(getDb(), current.token)).not.toBeNull();
    expect(await attempt(member.email, TEST_PASSWORD)).toBeInstanceOf(UnauthorizedError);
    await expect(signInAs(member.email, newPassword)).resolves.toMatchObject({ userId: member.userId });
    expect(await auditJson()).not.toContain(newPassword);
  });
});

describe("Log every sign-in attempt, pass or fail. No secrets in entries.", () => {
  it("a full flow records each attempt with its event, and no entry carries a password, a TOTP secret, a code or a session id", async () => {
    const org = await makeOrg();
    const admin = await makeMember(org.operator, { roleName: "Admin" });
    const ip = newIp();
    const mark = await auditMark();

    // Password step, then the enrollment that policy requires of an admin.
    const first = await signInAs(admin.email, TEST_PASSWORD, ip);
    expect(first.pending).toBe("enrollment");
    const enrolled = await enrollTotp(first.token);
    // A wrong password, an unknown email, then a sign-in finished with a TOTP code.
    expect(await attempt(admin.email, WRONG_PASSWORD, ip)).toBeInstanceOf(UnauthorizedError);
    const nobody = unknownEmail();
    expect(await attempt(nobody, WRONG_PASSWORD, ip)).toBeInstanceOf(UnauthorizedError);
    const second = await signInAs(admin.email, TEST_PASSWORD, ip);
    expect(second.pending).toBe("mfa");
    await awayFromStepBoundary();
    const wrongCode = String((Number(currentTotp(enrolled.secret)) + 1) % 1_000_000).padStart(6, "0");
    const secondPrincipal = await principalForToken(second.token);
    await expect(runCommand(verifySecondFactorCommand, secondPrincipal, requestMeta(ip), { method: "totp", code: wrongCode })).rejects.toBeInstanceOf(UnauthorizedError);
    const code = currentTotp(enrolled.secret);
    const verified = await runCommand(verifySecondFactorCommand, secondPrincipal, requestMeta(ip), { method: "totp", code });
    // A third sign-in finished with a recovery code.
    const third = await signInAs(admin.email, TEST_PASSWORD, ip);
    const recovered = await runCommand(verifySecondFactorCommand, await principalForToken(third.token), requestMeta(ip), { method: "recovery-code", code: enrolled.recoveryCodes[0]! });
    // A password step-up and a password change.
    const reauthenticated = await runCommand(reauthenticateCommand, await principalForToken(recovered.sessionToken), requestMeta(ip), { password: TEST_PASSWORD });
    const newPassword = "another long passphrase for the admin";
    await runCommand(changePasswordCommand, await principalForToken(reauthenticated.sessionToken), requestMeta(ip), { currentPassword: TEST_PASSWORD, newPassword });
    expect(await attempt(admin.email, TEST_PASSWORD, ip)).toBeInstanceOf(UnauthorizedError);

    const rows = await operatorDb().execute<{ action: string; outcome: string; actor_id: string | null; metadata: Record<string, unknown> }>(
      sql`select action, outcome, actor_id, metadata from audit_events where id > ${mark} order by id`,
    );
    const signInEvents = rows.filter((r) => r.action.startsWith("auth.signin.") || r.action.startsWith("auth.mfa."));
    expect(signInEvents.map((r) => [r.action, r.metadata.reason ?? r.metadata.method ?? null])).toEqual([
      ["auth.signin.succeeded", "password"],
      ["auth.signin.failed", "bad-password"],
      ["auth.signin.failed", "unknown-user"],
      ["auth.signin.succeeded", "password"],
      ["auth.mfa.failed", "totp-wrong-code"],
      ["auth.mfa.verified", "totp"],
      ["auth.signin.succeeded", "password"],
      ["auth.mfa.verified", "recovery-code"],
      ["auth.signin.failed", "bad-password"],
    ]);
    expect(signInEvents.filter((r) => r.action.endsWith("failed")).every((r) => r.outcome === "denied")).toBe(true);
    expect(rows.filter((r) => r.action === "auth.signin.failed").map((r) => r.metadata.email)).toEqual([admin.email, nobody, admin.email]);
    expect(rows.map((r) => r.action)).toEqual(expect.arrayContaining(["mfa.totp.enrollment_started", "mfa.totp.enrolled", "auth.reauthenticated", "auth.password.changed"]));

    const trail = JSON.stringify(await operatorDb().execute(sql`select * from audit_events`));
    const secrets = [
      TEST_PASSWORD,
      WRONG_PASSWORD,
      newPassword,
      enrolled.secret,
      code,
      wrongCode,
      ...enrolled.recoveryCodes,
      ...enrolled.recoveryCodes.map((c) => c.replace(/-/g, "")),
      first.token,
      enrolled.token,
      second.token,
      verified.sessionToken,
      third.token,
      recovered.sessionToken,
      reauthenticated.sessionToken,
    ];
    for (const secret of secrets) {
      // A six-digit code can turn up by chance inside a hash or a uuid (about 1 run in 6): it counts
      // only standing alone, as a leaked value or word would. Longer secrets are matched anywhere.
      if (/^\d{6}$/.test(secret)) expect(trail, "a code reached the audit trail").not.toMatch(new RegExp(`(?<![0-9A-Za-z])${secret}(?![0-9A-Za-z])`));
      else expect(trail, "a secret reached the audit trail").not.toContain(secret);
    }
    // The stored hashes of session ids stay out of the trail too.
    for (const row of await operatorDb().execute<{ token_hash: string }>(sql`select token_hash from sessions`)) expect(trail).not.toContain(row.token_hash);
  }, 60_000);
});
