import { createHash } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { sessions, users } from "@/db/schema";
import { runCommand } from "@/lib/core/command";
import { NotFoundError } from "@/lib/core/errors";
import { listOwnSessions } from "@/lib/identity/list-own-sessions";
import { reauthenticateCommand } from "@/lib/identity/reauthenticate";
import { resolveSession } from "@/lib/identity/resolve-session";
import { generateSecret } from "@/lib/identity/secrets";
import { LOCAL_SESSION_COOKIE, SECURE_SESSION_COOKIE, sessionCookieFor } from "@/lib/identity/session-cookie";
import { revokeOtherSessionsCommand, revokeOwnSessionCommand } from "@/lib/identity/revoke-own-sessions";
import { signOutCommand } from "@/lib/identity/sign-out";
import { makeMember, makeOrg } from "../support/factories";
import { enrollTotp, principalForToken, requestMeta, signInAs, verifyTotpFor } from "../support/sign-in-helpers";
import { operatorDb } from "../support/as-operator";

const resolve = (token: string) => resolveSession(getDb(), token);

/** Test setup: move a session's clocks, as if time had passed. */
async function setSessionTimes(sessionId: string, times: { lastSeenSecondsAgo?: number; expiresInSeconds?: number }) {
  if (times.lastSeenSecondsAgo !== undefined) {
    await operatorDb().update(sessions).set({ lastSeenAt: sql`now() - make_interval(secs => ${times.lastSeenSecondsAgo})` }).where(eq(sessions.id, sessionId));
  }
  if (times.expiresInSeconds !== undefined) {
    await operatorDb().update(sessions).set({ expiresAt: sql`now() + make_interval(secs => ${times.expiresInSeconds})` }).where(eq(sessions.id, sessionId));
  }
}

async function storedSession(sessionId: string) {
  const [row] = await operatorDb().select().from(sessions).where(eq(sessions.id, sessionId));
  return row!;
}

afterEach(() => {
  delete process.env.SESSION_IDLE_TIMEOUT_SECONDS;
  delete process.env.SESSION_MAX_AGE_SECONDS;
  delete process.env.PENDING_SIGN_IN_SECONDS;
});

describe("The session id has at least 128 bits from a CSPRNG", () => {
  it("the cookie value decodes to at least 16 random bytes and only its SHA-256 is stored", async () => {
    const org = await makeOrg();
    const member = await makeMember(org.operator);
    const { token, row } = await signInAs(member.email);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Buffer.from(token, "base64url").length).toBeGreaterThanOrEqual(16);
    expect(row.tokenHash).toBe(createHash("sha256").update(token).digest("hex"));
    const stored = JSON.stringify(await operatorDb().execute(sql`select * from sessions`));
    expect(stored).not.toContain(token);
  });

  it("1000 generated ids are all different, and two sign-ins never share one", async () => {
    const ids = Array.from({ length: 1000 }, () => generateSecret());
    expect(new Set(ids).size).toBe(1000);
    for (const id of ids) expect(Buffer.from(id, "base64url").length).toBeGreaterThanOrEqual(16);
    const org = await makeOrg();
    const member = await makeMember(org.operator);
    const [a, b] = [await signInAs(member.email), await signInAs(member.email)];
    expect(a.token).not.toBe(b.token);
    expect(a.row.id).not.toBe(b.row.id);
  });

  it("more people signing in at once than the pool has connections each get a session", async () => {
    const org = await makeOrg();
    const members = [];
    for (let i = 0; i < 14; i++) members.push(await makeMember(org.operator, { roleName: i % 2 ? "Admin" : "Buyer" }));
    const signedIn = await Promise.all(members.map((m) => signInAs(m.email)));
    expect(new Set(signedIn.map((s) => s.token)).size).toBe(14);
    expect(signedIn.map((s) => s.pending)).toEqual(members.map((_, i) => (i % 2 ? "enrollment" : null)));
  }, 60_000);
});

describe("A new id is issued at login and at step-up (session fixation)", () => {
  it("finishing a sign-in with a second factor replaces the id: the old cookie stops working, the new one works", async () => {
    const org = await makeOrg();
    const member = await makeMember(org.operator);
    const { secret } = await enrollTotp((await signInAs(member.email)).token);
    const pending = await signInAs(member.email);
    expect(pending.pending).toBe("mfa");
    const newToken = await verifyTotpFor(pending.token, secret);
    expect(newToken).not.toBe(pending.token);
    expect(await resolve(pending.token)).toBeNull();
    const after = await resolve(newToken);
    expect(after).toMatchObject({ sessionId: pending.row.id, pending: null, mfaVerifiedAt: expect.any(Date) });
    // Finishing the sign-in starts the full lifetime (12 h by default).
    const row = await storedSession(pending.row.id);
    expect((row.expiresAt.getTime() - Date.now()) / 1000).toBeGreaterThan(12 * 3600 - 60);
  });

  it("a password step-up replaces the id too", async () => {
    const org = await makeOrg();
    const member = await makeMember(org.operator);
    const { token } = await signInAs(member.email);
    const { sessionToken } = await runCommand(reauthenticateCommand, await principalForToken(token), requestMeta(), { password: "correct horse battery staple" });
    expect(sessionToken).not.toBe(token);
    expect(await resolve(token)).toBeNull();
    expect(await resolve(sessionToken)).not.toBeNull();
  });

  it("a pending sign-in lasts PENDING_SIGN_IN_SECONDS (15 minutes by default), a finished one SESSION_MAX_AGE_SECONDS", async () => {
    const org = await makeOrg();
    const admin = await makeMember(org.operator, { roleName: "Admin" });
    const buyer = await makeMember(org.operator);
    const lifetime = (row: { createdAt: Date; expiresAt: Date }) => Math.round((row.expiresAt.getTime() - row.createdAt.getTime()) / 1000);
    expect(lifetime((await signInAs(admin.email)).row)).toBe(900);
    expect(lifetime((await signInAs(buyer.email)).row)).toBe(12 * 3600);
    process.env.PENDING_SIGN_IN_SECONDS = "120";
    process.env.SESSION_MAX_AGE_SECONDS = "3600";
    expect(lifetime((await signInAs(admin.email)).row)).toBe(120);
    expect(lifetime((await signInAs(buyer.email)).row)).toBe(3600);
  });
});

describe("After logout the old cookie is rejected", () => {
  it("signing out revokes the session it came with, and only that one", async () => {
    const org = await makeOrg();
    const member = await makeMember(org.operator);
    const [mine, other] = [await signInAs(member.email), await signInAs(member.email)];
    await runCommand(signOutCommand, await principalForToken(mine.token), requestMeta(), {});
    expect(await resolve(mine.token)).toBeNull();
    expect((await storedSession(mine.row.id)).revokedAt).not.toBeNull();
    expect(await resolve(other.token)).not.toBeNull();
    // Signing in again gives a new id; the old one stays dead.
    const again = await signInAs(member.email);
    expect(again.token).not.toBe(mine.token);
    expect(await resolve(mine.token)).toBeNull();
  });
});

describe("Cookies: `__Host-` prefix, `Secure`, `HttpOnly`, `SameSite=Lax` or stricter. Idle and absolute timeouts.", () => {
  it("over https, and on any non-loopback host, the cookie is __Host- prefixed, Secure, HttpOnly, SameSite=Lax, path / and has no Domain", () => {
    for (const [proto, host] of [
      ["https", "app.example.com"],
      ["http", "app.example.com"],
      ["https", "localhost:3000"],
    ] as const) {
      const cookie = sessionCookieFor(proto, host);
      expect(cookie.name).toBe(SECURE_SESSION_COOKIE);
      expect(cookie.name.startsWith("__Host-")).toBe(true);
      expect(cookie.options).toEqual({ httpOnly: true, sameSite: "lax", path: "/", secure: true });
      expect(cookie.options).not.toHaveProperty("domain");
    }
  });

  it("only plain-http loopback drops Secure (and so the prefix, which browsers refuse without it), keeping HttpOnly and SameSite", () => {
    for (const host of ["localhost:3000", "127.0.0.1:3000", "[::1]:3000", "app.localhost"]) {
      expect(sessionCookieFor("http", host)).toEqual({ name: LOCAL_SESSION_COOKIE, options: { httpOnly: true, sameSite: "lax", path: "/", secure: false } });
    }
    // A look-alike host is not loopback.
    expect(sessionCookieFor("http", "localhost.evil.example").options.secure).toBe(true);
    expect(sessionCookieFor(null, null).options.secure).toBe(true);
  });

  it("a session idle for longer than the idle timeout (30 minutes by default, SESSION_IDLE_TIMEOUT_SECONDS) is signed out", async () => {
    const org = await makeOrg();
    const member = await makeMember(org.operator);
    const { token, row } = await signInAs(member.email);
    await setSessionTimes(row.id, { lastSeenSecondsAgo: 29 * 60 });
    expect(await resolve(token)).not.toBeNull();
    await setSessionTimes(row.id, { lastSeenSecondsAgo: 31 * 60 });
    expect(await resolve(token)).toBeNull();
    expect(await listOwnSessions(getDb(), member.userId)).toEqual([]);

    const second = await signInAs(member.email);
    await setSessionTimes(second.row.id, { lastSeenSecondsAgo: 3 * 60 });
    process.env.SESSION_IDLE_TIMEOUT_SECONDS = "120";
    expect(await resolve(second.token)).toBeNull();
  });

  it("a session past its absolute expiry is signed out however active it is", async () => {
    const org = await makeOrg();
    const member = await makeMember(org.operator);
    const { token, row } = await signInAs(member.email);
    await setSessionTimes(row.id, { expiresInSeconds: 5 });
    expect(await resolve(token)).not.toBeNull();
    await setSessionTimes(row.id, { expiresInSeconds: -1 });
    expect(await resolve(token)).toBeNull();
    // A request does not extend it.
    expect((await storedSession(row.id)).expiresAt.getTime()).toBeLessThan(Date.now());
  });

  it("a request inside the window moves last_seen_at forward, at most once a minute", async () => {
    const org = await makeOrg();
    const member = await makeMember(org.operator);
    const { token, row } = await signInAs(member.email);
    await setSessionTimes(row.id, { lastSeenSecondsAgo: 30 });
    const recent = (await storedSession(row.id)).lastSeenAt;
    expect(await resolve(token)).not.toBeNull();
    expect((await storedSession(row.id)).lastSeenAt).toEqual(recent);

    await setSessionTimes(row.id, { lastSeenSecondsAgo: 25 * 60 });
    expect(await resolve(token)).not.toBeNull();
    const touched = (await storedSession(row.id)).lastSeenAt;
    expect(Date.now() - touched.getTime()).toBeLessThan(10_000);
    // So the idle timeout counts from the last request, not from the sign-in.
    await setSessionTimes(row.id, { lastSeenSecondsAgo: 20 * 60 });
    expect(await resolve(token)).not.toBeNull();
  });

  it("a revoked session, a disabled user, an empty or oversized or unknown cookie: signed out", async () => {
    const org = await makeOrg();
    const member = await makeMember(org.operator);
    const { token } = await signInAs(member.email);
    for (const bad of ["", null, undefined, "x".repeat(201), generateSecret()]) expect(await resolveSession(getDb(), bad)).toBeNull();
    await operatorDb().update(users).set({ disabledAt: new Date() }).where(eq(users.id, member.userId));
    expect(await resolve(token)).toBeNull();
  });
});

describe("A user can see their sessions and end the others", () => {
  it("a person lists their live sessions and ends all the others, keeping the current one", async () => {
    const org = await makeOrg();
    const member = await makeMember(org.operator);
    const phone = await signInAs(member.email, undefined, "203.0.113.7");
    const laptop = await signInAs(member.email, undefined, "203.0.113.8");
    const current = await signInAs(member.email, undefined, "203.0.113.9");
    const listed = await listOwnSessions(getDb(), member.userId);
    expect(listed.map((s) => s.id).sort()).toEqual([phone.row.id, laptop.row.id, current.row.id].sort());
    expect(listed.map((s) => s.ip).sort()).toEqual(["203.0.113.7", "203.0.113.8", "203.0.113.9"]);
    expect(JSON.stringify(listed)).not.toContain(current.row.tokenHash);

    const result = await runCommand(revokeOtherSessionsCommand, await principalForToken(current.token), requestMeta(), {});
    expect(result).toEqual({ count: 2 });
    expect(await resolve(phone.token)).toBeNull();
    expect(await resolve(laptop.token)).toBeNull();
    expect(await resolve(current.token)).not.toBeNull();
    expect((await listOwnSessions(getDb(), member.userId)).map((s) => s.id)).toEqual([current.row.id]);
  });

  it("a person ends one of their own other sessions; another person's session is not found and stays live", async () => {
    const org = await makeOrg();
    const member = await makeMember(org.operator);
    const stranger = await makeMember(org.operator);
    const [mine, myOther] = [await signInAs(member.email), await signInAs(member.email)];
    const theirs = await signInAs(stranger.email);
    const principal = await principalForToken(mine.token);

    await runCommand(revokeOwnSessionCommand, principal, requestMeta(), { sessionId: myOther.row.id });
    expect(await resolve(myOther.token)).toBeNull();
    expect(await resolve(mine.token)).not.toBeNull();

    await expect(runCommand(revokeOwnSessionCommand, principal, requestMeta(), { sessionId: theirs.row.id })).rejects.toBeInstanceOf(NotFoundError);
    expect(await resolve(theirs.token)).not.toBeNull();
    // Ending an already ended session, or a made-up id, answers the same.
    await expect(runCommand(revokeOwnSessionCommand, principal, requestMeta(), { sessionId: myOther.row.id })).rejects.toBeInstanceOf(NotFoundError);
    await expect(runCommand(revokeOwnSessionCommand, principal, requestMeta(), { sessionId: crypto.randomUUID() })).rejects.toBeInstanceOf(NotFoundError);
  });

  it("ending sessions needs a signed-in person's own session; a stored hash is not a cookie", async () => {
    const org = await makeOrg();
    const member = await makeMember(org.operator);
    const { row, token } = await signInAs(member.email);
    // A principal without a session (an API token, the operator's) cannot end anyone's sessions.
    await expect(runCommand(revokeOtherSessionsCommand, member.principal, requestMeta(), {})).rejects.toThrow("Sign in first.");
    expect(await resolve(token)).not.toBeNull();
    expect(await resolve(row.tokenHash)).toBeNull();
  });
});
