import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { runCommand } from "@/lib/core/command";
import type { Principal } from "@/lib/core/context";
import { ForbiddenError, NotFoundError, StepUpRequiredError } from "@/lib/core/errors";
import { readAs } from "@/lib/core/read-as";
import { anonymousPrincipal } from "@/lib/identity/anonymous-principal";
import { listOwnSessions } from "@/lib/identity/list-own-sessions";
import { revokeOtherSessionsCommand, revokeOwnSessionCommand } from "@/lib/identity/revoke-own-sessions";
import { signInCommand } from "@/lib/identity/sign-in";
import { addPasskeyCommand } from "@/lib/mfa/add-passkey";
import { listPasskeys } from "@/lib/mfa/list-passkeys";
import { isMfaRequired } from "@/lib/identity/mfa-policy";
import { removePasskeyCommand } from "@/lib/mfa/remove-passkey";
import { startPasskeyRegistrationCommand } from "@/lib/mfa/start-passkey-registration";
import { getMfaPolicy } from "@/lib/orgs/get-mfa-policy";
import { setMfaPolicyCommand } from "@/lib/orgs/set-mfa-policy";
import { makeMember, makeOrg, meta } from "../support/factories";
import { accountPrincipalFor, sessionFor } from "../support/sign-in-helpers";
import { SoftAuthenticator } from "../support/soft-authenticator";
import { operatorDb } from "../support/as-operator";

const ORIGIN = "http://localhost:3999";
const FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
const SAFARI = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

beforeAll(() => {
  process.env.APP_URL = ORIGIN;
  delete process.env.WEBAUTHN_RP_ID;
});

async function makePerson() {
  const org = await makeOrg("Security Co");
  return makeMember(org.operator);
}

/** A real sign-in from a given browser and address; returns the session id and the account principal. */
async function signIn(email: string, userAgent: string, ip: string) {
  const result = await runCommand(signInCommand, anonymousPrincipal(), { ip, userAgent, requestId: randomUUID() }, { email, password: "correct horse battery staple" });
  const { session } = await sessionFor(result.sessionToken);
  return { sessionId: session.sessionId, principal: accountPrincipalFor(session) };
}

const own = (principal: Principal, userId: string) => readAs(principal, (tx) => listOwnSessions(tx, userId));

async function addPasskey(signedIn: Principal, name: string) {
  // As if the person had just passed a second factor: adding a second passkey needs an MFA check.
  const principal: Principal = { ...signedIn, sessionAuth: { reauthenticatedAt: new Date(), mfaVerifiedAt: new Date() } };
  const options = await runCommand(startPasskeyRegistrationCommand, principal, meta, {});
  const response = new SoftAuthenticator().createRegistrationResponse(options, { origin: ORIGIN });
  return runCommand(addPasskeyCommand, principal, meta, { name, response });
}

describe("A user can see their sessions and end the others (listOwnSessions)", () => {
  it("lists the person's live sessions with device, IP and times, newest activity first", async () => {
    const person = await makePerson();
    const laptop = await signIn(person.email, FIREFOX, "198.51.100.10");
    const phone = await signIn(person.email, SAFARI, "203.0.113.20");
    await operatorDb().execute(sql`update sessions set last_seen_at = now() - interval '5 minutes' where id = ${laptop.sessionId}`);

    const sessions = await own(phone.principal, person.userId);
    expect(sessions.map((s) => s.id)).toEqual([phone.sessionId, laptop.sessionId]);
    expect(sessions[1]).toEqual({ id: laptop.sessionId, createdAt: expect.any(Date), lastSeenAt: expect.any(Date), ip: "198.51.100.10", userAgent: FIREFOX, pending: null });
    expect(sessions[0]!.lastSeenAt.getTime()).toBeGreaterThan(sessions[1]!.lastSeenAt.getTime());
    expect(Object.keys(sessions[0]!).sort()).toEqual(["createdAt", "id", "ip", "lastSeenAt", "pending", "userAgent"]);
  });

  it("shows only the person's own sessions, never another user's", async () => {
    const person = await makePerson();
    const stranger = await makePerson();
    const mine = await signIn(person.email, FIREFOX, "198.51.100.11");
    const theirs = await signIn(stranger.email, SAFARI, "198.51.100.12");
    expect((await own(mine.principal, person.userId)).map((s) => s.id)).toEqual([mine.sessionId]);
    expect((await own(theirs.principal, stranger.userId)).map((s) => s.id)).toEqual([theirs.sessionId]);
  });

  it("leaves out ended, expired and idle sessions, and marks a sign-in that is not finished", async () => {
    const person = await makePerson();
    const here = await signIn(person.email, FIREFOX, "198.51.100.13");
    const ended = await signIn(person.email, SAFARI, "198.51.100.14");
    const expired = await signIn(person.email, SAFARI, "198.51.100.15");
    const idle = await signIn(person.email, SAFARI, "198.51.100.16");
    const halfway = await signIn(person.email, SAFARI, "198.51.100.17");
    await runCommand(revokeOwnSessionCommand, here.principal, meta, { sessionId: ended.sessionId });
    await operatorDb().execute(sql`update sessions set expires_at = now() - interval '1 second' where id = ${expired.sessionId}`);
    await operatorDb().execute(sql`update sessions set last_seen_at = now() - interval '31 minutes' where id = ${idle.sessionId}`);
    await operatorDb().execute(sql`update sessions set pending = 'mfa' where id = ${halfway.sessionId}`);

    const sessions = await own(here.principal, person.userId);
    expect(sessions.map((s) => s.id).sort()).toEqual([here.sessionId, halfway.sessionId].sort());
    expect(sessions.find((s) => s.id === halfway.sessionId)!.pending).toBe("mfa");
    expect(sessions.find((s) => s.id === here.sessionId)!.pending).toBeNull();
  });

  it("ending the others leaves only the current session listed", async () => {
    const person = await makePerson();
    const here = await signIn(person.email, FIREFOX, "198.51.100.18");
    await signIn(person.email, SAFARI, "198.51.100.19");
    await signIn(person.email, SAFARI, "198.51.100.20");
    expect(await runCommand(revokeOtherSessionsCommand, here.principal, meta, {})).toEqual({ count: 2 });
    expect((await own(here.principal, person.userId)).map((s) => s.id)).toEqual([here.sessionId]);
  });

  it("another person's session id answers 404 and that session keeps working", async () => {
    const person = await makePerson();
    const stranger = await makePerson();
    const mine = await signIn(person.email, FIREFOX, "198.51.100.21");
    const theirs = await signIn(stranger.email, SAFARI, "198.51.100.22");
    await expect(runCommand(revokeOwnSessionCommand, mine.principal, meta, { sessionId: theirs.sessionId })).rejects.toBeInstanceOf(NotFoundError);
    expect((await own(theirs.principal, stranger.userId)).map((s) => s.id)).toEqual([theirs.sessionId]);
  });
});

describe("listPasskeys", () => {
  it("lists the person's own passkeys by name and dates, oldest first, with no key material", async () => {
    const person = await makePerson();
    const stranger = await makePerson();
    const mine = await signIn(person.email, FIREFOX, "198.51.100.30");
    const theirs = await signIn(stranger.email, SAFARI, "198.51.100.31");
    const laptop = await addPasskey(mine.principal, "Laptop");
    const key = await addPasskey(mine.principal, "Security key");
    const other = await addPasskey(theirs.principal, "Not yours");

    const passkeys = await readAs(mine.principal, (tx) => listPasskeys(tx, person.userId));
    expect(passkeys.map((p) => [p.id, p.name])).toEqual([
      [laptop.id, "Laptop"],
      [key.id, "Security key"],
    ]);
    expect(passkeys[0]).toEqual({ id: laptop.id, name: "Laptop", createdAt: expect.any(Date), lastUsedAt: null });
    expect(passkeys.map((p) => p.id)).not.toContain(other.id);
  });

  it("another person's passkey id answers 404 and stays in their list", async () => {
    const person = await makePerson();
    const stranger = await makePerson();
    const mine = await signIn(person.email, FIREFOX, "198.51.100.32");
    const theirs = await signIn(stranger.email, SAFARI, "198.51.100.33");
    const other = await addPasskey(theirs.principal, "Theirs");
    await expect(runCommand(removePasskeyCommand, mine.principal, meta, { passkeyId: other.id })).rejects.toBeInstanceOf(NotFoundError);
    expect((await readAs(theirs.principal, (tx) => listPasskeys(tx, stranger.userId))).map((p) => p.id)).toEqual([other.id]);
    expect(await readAs(mine.principal, (tx) => listPasskeys(tx, person.userId))).toEqual([]);
  });
});

describe("the org settings page: MFA is required for every member who holds an admin-class permission, and an org may require it of everyone", () => {
  const steppedUp = (principal: Principal): Principal => ({ ...principal, sessionId: randomUUID(), sessionAuth: { reauthenticatedAt: new Date(), mfaVerifiedAt: new Date() } });

  it("reads the org's own setting; an admin with a recent second factor changes it for their org only", async () => {
    const a = await makeOrg("Policy A");
    const b = await makeOrg("Policy B");
    const admin = await makeMember(a.operator, { roleName: "Admin" });
    const buyer = await makeMember(a.operator, { roleName: "Buyer" });
    const outsider = await makeMember(b.operator, { roleName: "Buyer" });
    expect(await readAs(admin.principal, (tx) => getMfaPolicy(tx, admin.principal))).toEqual({ requireMfa: false });
    expect(await isMfaRequired(buyer.userId)).toBe(false);

    expect(await runCommand(setMfaPolicyCommand, steppedUp(admin.principal), meta, { requireMfa: true })).toEqual({ requireMfa: true });
    expect(await readAs(admin.principal, (tx) => getMfaPolicy(tx, admin.principal))).toEqual({ requireMfa: true });
    expect(await readAs(outsider.principal, (tx) => getMfaPolicy(tx, outsider.principal))).toEqual({ requireMfa: false });
    expect(await isMfaRequired(buyer.userId)).toBe(true);
    expect(await isMfaRequired(outsider.userId)).toBe(false);
  });

  it("Sensitive actions need a step-up within the last few minutes: the policy needs org:manage and a recent second factor", async () => {
    const org = await makeOrg("Policy C");
    const admin = await makeMember(org.operator, { roleName: "Admin" });
    const manager = await makeMember(org.operator, { roleName: "Manager" });
    await expect(runCommand(setMfaPolicyCommand, steppedUp(manager.principal), meta, { requireMfa: true })).rejects.toBeInstanceOf(ForbiddenError);
    const passwordOnly = { ...steppedUp(admin.principal), sessionAuth: { reauthenticatedAt: new Date(), mfaVerifiedAt: null } };
    await expect(runCommand(setMfaPolicyCommand, passwordOnly, meta, { requireMfa: true })).rejects.toBeInstanceOf(StepUpRequiredError);
    expect(await readAs(admin.principal, (tx) => getMfaPolicy(tx, admin.principal))).toEqual({ requireMfa: false });
  });
});
