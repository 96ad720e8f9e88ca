import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { oneTimeTokens, users } from "@/db/schema";
import { runCommand } from "@/lib/core/command";
import { ConflictError, StepUpRequiredError, UnauthorizedError, ValidationError } from "@/lib/core/errors";
import { completePasswordResetCommand } from "@/lib/identity/complete-password-reset";
import { confirmEmailChangeCommand } from "@/lib/identity/confirm-email-change";
import { deliverMessage } from "@/lib/identity/deliver-message";
import { findEmailChange, isResetLinkLive } from "@/lib/identity/find-one-time-link";
import { requestEmailChangeCommand } from "@/lib/identity/request-email-change";
import { requestPasswordResetCommand } from "@/lib/identity/request-password-reset";
import { hashSecret } from "@/lib/identity/secrets";
import { makeMember, makeOrg, meta, TEST_PASSWORD, unique } from "../support/factories";
import { ageSessionProofs, principalForToken, signInAs } from "../support/sign-in-helpers";
import { startSmtpSinkPerFile } from "../support/start-smtp-sink-per-file";
import { allAuditJson, anonymous, auditRows, tokenOf, tokenRows } from "./one-time-links";
import { operatorDb } from "../support/as-operator";
import { raceBehind } from "../support/race-behind";

const sink = startSmtpSinkPerFile();

const newAddress = () => `${unique("moved")}@example.test`;

/** A signed-in member, as their own account principal right after signing in. */
async function signedIn() {
  const org = await makeOrg();
  const member = await makeMember(org.operator);
  const session = await signInAs(member.email);
  return { ...member, session, principal: await principalForToken(session.token) };
}

/** Asks for the change as the Security page does, and returns the mail that arrives. */
async function requestAndReceive(principal: Awaited<ReturnType<typeof signedIn>>["principal"], newEmail: string) {
  const { mail } = await runCommand(requestEmailChangeCommand, principal, meta, { newEmail });
  expect(await deliverMessage(mail.to, mail.message)).not.toBeNull();
  const received = await sink.waitForMail((m) => m.to.includes(newEmail.toLowerCase()));
  sink.messages.splice(sink.messages.indexOf(received), 1);
  return received;
}

const confirm = (token: string) => runCommand(confirmEmailChangeCommand, anonymous, meta, { token });
const emailOf = async (userId: string) => (await operatorDb().select({ email: users.email }).from(users).where(eq(users.id, userId)))[0]!.email;

describe("Changing email or MFA settings needs a fresh login", () => {
  it("asking to change one's email needs a sign-in within the step-up window", async () => {
    const me = await signedIn();
    await ageSessionProofs(me.session.row.id, 20);
    const stale = await principalForToken(me.session.token);
    await expect(runCommand(requestEmailChangeCommand, stale, meta, { newEmail: newAddress() })).rejects.toBeInstanceOf(StepUpRequiredError);
    expect(await tokenRows(me.userId, "email_change")).toHaveLength(0);
  });

  it("the email changes only when the link mailed to the new address is opened; it works once, and the old address is told", async () => {
    const me = await signedIn();
    const target = newAddress();
    const mail = await requestAndReceive(me.principal, target);
    expect(mail.links).toHaveLength(1);
    const token = tokenOf(mail.links[0]!);
    // Until then nothing changes; the link is stored only as a hash, with the address it proves.
    expect(await emailOf(me.userId)).toBe(me.email);
    const [row] = await tokenRows(me.userId, "email_change");
    expect(row).toMatchObject({ tokenHash: hashSecret(token), newEmail: target, usedAt: null });
    expect(await findEmailChange(token)).toEqual({ newEmail: target });

    const { email, notice } = await confirm(token);
    expect(email).toBe(target);
    expect(await emailOf(me.userId)).toBe(target);
    expect(notice.to).toBe(me.email);
    expect(notice.message.text).toContain(target);
    await expect(confirm(token)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(await findEmailChange(token)).toBeNull();

    // The new address signs in; the old one no longer does.
    await expect(signInAs(target, TEST_PASSWORD)).resolves.toMatchObject({ userId: me.userId });
    await expect(signInAs(me.email, TEST_PASSWORD)).rejects.toBeInstanceOf(UnauthorizedError);

    const [event] = (await auditRows("account.email_changed")).filter((e) => e.target_id === me.userId);
    expect(event).toMatchObject({ actor_id: me.userId, metadata: { from: me.email, to: target } });
    const [failed] = await auditRows("account.email_change.failed");
    expect(failed?.metadata).toMatchObject({ reason: "token-invalid" });
    expect(await allAuditJson()).not.toContain(token);
  });

  it("an address that already has an account gets a notice instead of a link, and the person asking is told the same", async () => {
    const me = await signedIn();
    const org = await makeOrg();
    const other = await makeMember(org.operator);
    const mail = await requestAndReceive(me.principal, other.email);
    expect(mail.subject).toBe("This email already has a Countersign account");
    expect(mail.links[0]).not.toContain("token=");
    expect(await tokenRows(me.userId, "email_change")).toHaveLength(0);
    const [event] = (await auditRows("account.email_change.requested")).filter((e) => e.target_id === me.userId);
    expect(event?.metadata).toMatchObject({ newEmail: other.email, sent: false, reason: "address-in-use" });
  });

  it("a newer request retires the older link; an expired link and one whose address was taken meanwhile change nothing", async () => {
    const me = await signedIn();
    const first = tokenOf((await requestAndReceive(me.principal, newAddress())).links[0]!);
    const laterAddress = newAddress();
    const second = tokenOf((await requestAndReceive(me.principal, laterAddress)).links[0]!);
    await expect(confirm(first)).rejects.toBeInstanceOf(UnauthorizedError);

    // Someone else takes the address before the link is opened: refused, and nothing changes.
    const otherOrg = await makeOrg();
    const someoneElse = await makeMember(otherOrg.operator);
    await operatorDb().update(users).set({ email: laterAddress }).where(eq(users.id, someoneElse.userId));
    await expect(confirm(second)).rejects.toBeInstanceOf(ConflictError);
    expect(await emailOf(me.userId)).toBe(me.email);

    const third = tokenOf((await requestAndReceive(me.principal, newAddress())).links[0]!);
    await operatorDb().update(oneTimeTokens).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(oneTimeTokens.tokenHash, hashSecret(third)));
    await expect(confirm(third)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(await emailOf(me.userId)).toBe(me.email);
  });

  it("two people confirming the same new address at once: exactly one gets it, the other is told it is taken", async () => {
    const [alice, bob] = [await signedIn(), await signedIn()];
    const shared = newAddress();
    const tokens = [tokenOf((await requestAndReceive(alice.principal, shared)).links[0]!), tokenOf((await requestAndReceive(bob.principal, shared)).links[0]!)];
    // Forced every run: an uncommitted account holding the address makes both confirmations pass
    // their "taken" check and wait on the unique index, so the index decides between them.
    const outcomes = await raceBehind((tx) => tx.insert(users).values({ email: shared, name: "Holder" }), tokens.map((token) => () => confirm(token)));
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    const [refused] = outcomes.filter((o): o is PromiseRejectedResult => o.status === "rejected");
    expect(refused!.reason).toBeInstanceOf(ConflictError);
    expect((refused!.reason as ConflictError).field).toBe("email");
    const winner = (await emailOf(alice.userId)) === shared ? alice : bob;
    const loser = winner === alice ? bob : alice;
    expect(await emailOf(winner.userId)).toBe(shared);
    expect(await emailOf(loser.userId)).toBe(loser.email);
  });

  it("the new address is validated and must differ from the current one, naming the field", async () => {
    const me = await signedIn();
    for (const newEmail of ["not an email", "", me.email.toUpperCase()]) {
      const error = await runCommand(requestEmailChangeCommand, me.principal, meta, { newEmail }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect(Object.keys((error as ValidationError).fieldErrors)).toEqual(["newEmail"]);
    }
  });
});

describe("Reset and invitation tokens: single-use, expire within minutes (after an email change)", () => {
  it("reset links still live when the email changes stop working: they went to the old address", async () => {
    const me = await signedIn();
    const { mail } = await runCommand(requestPasswordResetCommand, anonymous, meta, { email: me.email });
    const resetToken = tokenOf(mail!.message.link);
    expect(await isResetLinkLive(resetToken)).toBe(true);
    await confirm(tokenOf((await requestAndReceive(me.principal, newAddress())).links[0]!));

    expect(await isResetLinkLive(resetToken)).toBe(false);
    const refused = await runCommand(completePasswordResetCommand, anonymous, meta, { token: resetToken, password: "a takeover through the old mailbox" }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UnauthorizedError);
    expect(await signInAs(await emailOf(me.userId), TEST_PASSWORD)).toBeTruthy();
    // Retired in the confirming transaction, not merely hidden.
    const [row] = await tokenRows(me.userId, "password_reset");
    expect(row!.usedAt).not.toBeNull();
    expect((await auditRows("account.email_changed")).find((e) => e.actor_id === me.userId)?.metadata).toMatchObject({ resetLinksRetired: 1 });
  });
});
