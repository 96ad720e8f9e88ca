import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { authThrottle, sessions, totpFactors, users } from "@/db/schema";
import { runCommand } from "@/lib/core/command";
import { ForbiddenError, UnauthorizedError, ValidationError } from "@/lib/core/errors";
import { answerPasswordResetRequest, passwordResetNotice } from "@/lib/identity/answer-reset-request";
import { completePasswordResetCommand } from "@/lib/identity/complete-password-reset";
import { isResetLinkLive } from "@/lib/identity/find-one-time-link";
import { verifyPassword } from "@/lib/identity/passwords";
import { requestPasswordResetCommand } from "@/lib/identity/request-password-reset";
import { resolveSession } from "@/lib/identity/resolve-session";
import { hashSecret } from "@/lib/identity/secrets";
import { sendMemberPasswordResetCommand } from "@/lib/identity/send-member-password-reset";
import { startSmtpSinkPerFile } from "../support/start-smtp-sink-per-file";
import { makeMember, makeOrg, meta, unique } from "../support/factories";
import { allAuditJson, anonymous, auditRows, openSession, tokenOf, tokenRows } from "./one-time-links";
import { operatorDb } from "../support/as-operator";

const NEW_PASSWORD = "a brand new passphrase for this account";

const sink = startSmtpSinkPerFile();

const request = (email: string) => runCommand(requestPasswordResetCommand, anonymous, meta, { email });
const complete = (token: string, password = NEW_PASSWORD) => runCommand(completePasswordResetCommand, anonymous, meta, { token, password });

/** Asks for a reset as the public form does and returns the link from the mail that arrives. */
async function mailedResetLink(email: string): Promise<string> {
  answerPasswordResetRequest(await request(email));
  const mail = await sink.waitForMail((m) => m.to.includes(email.toLowerCase()) && m.subject.includes("Reset"));
  sink.messages.splice(sink.messages.indexOf(mail), 1);
  expect(mail.links).toHaveLength(1);
  return mail.links[0]!;
}

describe("Reset and invitation tokens: at least 128 bits from a CSPRNG, stored hashed", () => {
  it("a reset link carries 256 random bits and only their SHA-256 is stored", async () => {
    const org = await makeOrg();
    const member = await makeMember(org.operator);
    const token = tokenOf(await mailedResetLink(member.email));
    expect(Buffer.from(token, "base64url").length * 8).toBeGreaterThanOrEqual(128);
    const [row] = await tokenRows(member.userId, "password_reset");
    expect(row!.tokenHash).toBe(hashSecret(token));
    const stored = JSON.stringify(await operatorDb().execute(sql`select * from one_time_tokens`));
    expect(stored).not.toContain(token);
    // Two requests never mint the same secret.
    const second = tokenOf(await mailedResetLink(member.email));
    expect(second).not.toBe(token);
  });
});

describe("Reset and invitation tokens: single-use, expire within minutes", () => {
  it("a reset link expires 30 minutes after it was issued by default, and PASSWORD_RESET_TTL_SECONDS changes that", async () => {
    const org = await makeOrg();
    const member = await makeMember(org.operator);
    await mailedResetLink(member.email);
    process.env.PASSWORD_RESET_TTL_SECONDS = "120";
    try {
      await mailedResetLink(member.email);
      expect(passwordResetNotice()).toContain("The link works for 2 minutes.");
    } finally {
      delete process.env.PASSWORD_RESET_TTL_SECONDS;
    }
    const [first, second] = await tokenRows(member.userId, "password_reset");
    expect((first!.expiresAt.getTime() - first!.createdAt.getTime()) / 1000).toBe(1800);
    expect((second!.expiresAt.getTime() - second!.createdAt.getTime()) / 1000).toBe(120);
  });

  it("a used link is refused the second time", async () => {
    const org = await makeOrg();
    const member = await makeMember(org.operator);
    const token = tokenOf(await mailedResetLink(member.email));
    await complete(token);
    const again = await complete(token, "yet another long passphrase").catch((e: unknown) => e);
    expect(again).toBeInstanceOf(UnauthorizedError);
    expect((again as Error).message).toBe("This reset link has expired or was already used. Ask for a new one.");
    expect(await verifyPassword((await passwordHashOf(member.userId))!, NEW_PASSWORD)).toBe(true);
    const denied = await auditRows("auth.password_reset.failed");
    expect(denied.at(-1)).toMatchObject({ outcome: "denied", metadata: { command: "auth.password_reset.completed", reason: "token-invalid" } });
  });

  it("two completions racing with one link: exactly one succeeds", async () => {
    const org = await makeOrg();
    const member = await makeMember(org.operator);
    const token = tokenOf(await mailedResetLink(member.email));
    const results = await Promise.allSettled([complete(token, "first racing passphrase"), complete(token, "second racing passphrase")]);
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r) => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect((lost[0] as PromiseRejectedResult).reason).toBeInstanceOf(UnauthorizedError);
    const winner = results[0]!.status === "fulfilled" ? "first racing passphrase" : "second racing passphrase";
    expect(await verifyPassword((await passwordHashOf(member.userId))!, winner)).toBe(true);
    expect((await auditRows("auth.password_reset.completed")).filter((e) => e.actor_id === member.userId)).toHaveLength(1);
  });

  it("an expired link is refused and changes nothing", async () => {
    const org = await makeOrg();
    const member = await makeMember(org.operator);
    const token = tokenOf(await mailedResetLink(member.email));
    await operatorDb().execute(sql`update one_time_tokens set expires_at = now() - interval '1 second' where token_hash = ${hashSecret(token)}`);
    expect(await isResetLinkLive(token)).toBe(false);
    await expect(complete(token)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(await verifyPassword((await passwordHashOf(member.userId))!, NEW_PASSWORD)).toBe(false);
  });

  it("an unknown link is refused; a weak new password is refused without using the link up", async () => {
    const org = await makeOrg();
    const member = await makeMember(org.operator);
    await expect(complete("not-a-real-token")).rejects.toBeInstanceOf(UnauthorizedError);
    const token = tokenOf(await mailedResetLink(member.email));
    const weak = await complete(token, "password").catch((e: unknown) => e);
    expect(weak).toBeInstanceOf(ValidationError);
    expect((weak as ValidationError).fieldErrors.password?.[0]).toMatch(/common passwords/);
    expect(await isResetLinkLive(token)).toBe(true);
    await expect(complete(token)).resolves.toMatchObject({ userId: member.userId });
  });
});

describe("Reset and invitation tokens: the 'send reset' response is the same whether or not the account exists", () => {
  it("the answer for an existing and an unknown email is deep-equal; only the existing one gets mail, and only the audit trail tells them apart", async () => {
    const org = await makeOrg();
    const member = await makeMember(org.operator);
    const unknown = `${unique("nobody")}@example.test`;
    const forExisting = answerPasswordResetRequest(await request(member.email));
    const forUnknown = answerPasswordResetRequest(await request(unknown));
    expect(forExisting).toEqual(forUnknown);
    expect(forExisting).toEqual({ notice: "If an account exists for that email, we have sent a link to reset the password. The link works for 30 minutes." });
    await sink.waitForMail((m) => m.to.includes(member.email.toLowerCase()));
    expect(sink.messages.some((m) => m.to.includes(unknown))).toBe(false);
    const events = await auditRows("auth.password_reset.requested");
    expect(events.slice(-2).map((e) => e.metadata)).toEqual([
      { email: member.email, sent: true },
      { email: unknown, sent: false },
    ]);
    // A member's request is filed in their org's trail (the sign-in fan-out), an unknown email's in the global one.
    expect(events.slice(-2).map((e) => [e.org_id, e.actor_type])).toEqual([[org.id, "anonymous"], [null, "anonymous"]]);
  });

  it("a disabled user or one without an active or invited membership gets no link (and the same answer)", async () => {
    const org = await makeOrg();
    const disabled = await makeMember(org.operator);
    await operatorDb().update(users).set({ disabledAt: new Date() }).where(eq(users.id, disabled.userId));
    expect(await request(disabled.email)).toEqual({ mail: null });
    expect(await tokenRows(disabled.userId, "password_reset")).toHaveLength(0);
  });

  it("after three live links, more requests send nothing (no mail bombing), still with the same answer", async () => {
    const org = await makeOrg();
    const member = await makeMember(org.operator);
    for (let i = 0; i < 3; i++) expect((await request(member.email)).mail).not.toBeNull();
    expect(await request(member.email)).toEqual({ mail: null });
    expect((await auditRows("auth.password_reset.requested")).at(-1)!.metadata).toEqual({ email: member.email, sent: false, reason: "recently-sent" });
  });
});

describe("Resetting a password ends every session and does not bypass MFA", () => {
  it("every session of the user is revoked, nobody is signed in, the second factor stays, and the account is unblocked", async () => {
    const org = await makeOrg();
    const member = await makeMember(org.operator);
    const bystander = await makeMember(org.operator);
    const cookies = [await openSession(member.email), await openSession(member.email)];
    const bystanderCookie = await openSession(bystander.email);
    for (const cookie of cookies) expect(await resolveSession(getDb(), cookie)).not.toBeNull();
    await operatorDb().insert(totpFactors).values({ userId: member.userId, secret: "JBSWY3DPEHPK3PXP", confirmedAt: new Date() });
    await operatorDb().insert(authThrottle).values({ key: `account:${member.email.toLowerCase()}`, failures: 100 });

    const token = tokenOf(await mailedResetLink(member.email));
    const spare = tokenOf(await mailedResetLink(member.email));
    const result = await complete(token);

    expect(result).toEqual({ userId: member.userId, email: member.email });
    expect(JSON.stringify(result)).not.toMatch(/session|token/i);
    const rows = await operatorDb().select({ revokedAt: sessions.revokedAt }).from(sessions).where(eq(sessions.userId, member.userId));
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.revokedAt !== null)).toBe(true);
    for (const cookie of cookies) expect(await resolveSession(getDb(), cookie)).toBeNull();
    expect(await resolveSession(getDb(), bystanderCookie)).not.toBeNull();
    // MFA is untouched: the next sign-in still has to pass it.
    expect(await operatorDb().select().from(totpFactors).where(eq(totpFactors.userId, member.userId))).toHaveLength(1);
    expect(await operatorDb().select().from(authThrottle).where(eq(authThrottle.key, `account:${member.email.toLowerCase()}`))).toHaveLength(0);
    // The other outstanding link stopped working with the reset.
    await expect(complete(spare, "and one more passphrase")).rejects.toBeInstanceOf(UnauthorizedError);

    const [event] = (await auditRows("auth.password_reset.completed")).filter((e) => e.actor_id === member.userId);
    expect(event).toMatchObject({ actor_type: "user", actor_id: member.userId, actor_label: member.email, org_id: org.id, metadata: { sessionsEnded: 2 } });
  });
});

describe("An admin can start a reset but cannot set another user's password", () => {
  it("an administrator of an org that does not own the account cannot start one (403, recorded): the person uses 'Forgot password'", async () => {
    const org = await makeOrg();
    const admin = await makeMember(org.operator, { roleName: "Admin" });
    const member = await makeMember(org.operator);
    const refused = await runCommand(sendMemberPasswordResetCommand, admin.principal, meta, { membershipId: member.membershipId }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ForbiddenError);
    expect((refused as Error).message).toBe("Only an organization that has verified this person's email domain can send them a password reset. Ask them to use “Forgot password” on the sign-in page.");
    expect(await tokenRows(member.userId, "password_reset")).toHaveLength(0);
    expect((await auditRows("access.denied")).filter((e) => e.metadata.command === "member.password_reset.sent" && e.actor_id === admin.userId)).toHaveLength(1);
  });

  it("a reset started for someone (here by the operator) sends a link and the member chooses the password; the input cannot carry one", async () => {
    const org = await makeOrg();
    const member = await makeMember(org.operator);
    const before = await passwordHashOf(member.userId);
    const sent = await runCommand(sendMemberPasswordResetCommand, org.operator, meta, { membershipId: member.membershipId, password: "admin chosen password" });
    expect(await passwordHashOf(member.userId)).toBe(before);
    expect(await verifyPassword(before!, "admin chosen password")).toBe(false);
    expect(sent.mail.to).toBe(member.email);
    expect(sent.mail.message.text).toContain("An administrator of your organization started a password reset");
    const [event] = (await auditRows("member.password_reset.sent")).filter((e) => e.target_id === member.membershipId);
    expect(event).toMatchObject({ org_id: org.id, actor_type: "system", target_id: member.membershipId, metadata: { member: member.email } });
    await complete(tokenOf(sent.mail.message.link));
    expect(await verifyPassword((await passwordHashOf(member.userId))!, NEW_PASSWORD)).toBe(true);
  });

  it("a member without users:manage cannot send one", async () => {
    const org = await makeOrg();
    const viewer = await makeMember(org.operator, { roleName: "Viewer" });
    const member = await makeMember(org.operator);
    await expect(runCommand(sendMemberPasswordResetCommand, viewer.principal, meta, { membershipId: member.membershipId })).rejects.toMatchObject({ code: "forbidden" });
  });
});

describe("Audit: no secrets in entries (reset links)", () => {
  it("every reset action is audited and no audit row contains a link's token", async () => {
    const org = await makeOrg();
    const member = await makeMember(org.operator);
    const tokens = [tokenOf(await mailedResetLink(member.email))];
    const sent = await runCommand(sendMemberPasswordResetCommand, org.operator, meta, { membershipId: member.membershipId });
    tokens.push(tokenOf(sent.mail.message.link));
    await complete(tokens[0]!);
    await complete(tokens[1]!).catch(() => null);
    const audit = await allAuditJson();
    for (const token of tokens) {
      expect(audit).not.toContain(token);
      expect(audit).not.toContain(hashSecret(token));
    }
    expect(audit).not.toContain(NEW_PASSWORD);
    for (const action of ["auth.password_reset.requested", "member.password_reset.sent", "auth.password_reset.completed", "auth.password_reset.failed"]) expect((await auditRows(action)).length, action).toBeGreaterThan(0);
  });
});

async function passwordHashOf(userId: string): Promise<string | null> {
  const [row] = await operatorDb().select({ hash: users.passwordHash }).from(users).where(eq(users.id, userId));
  return row?.hash ?? null;
}
