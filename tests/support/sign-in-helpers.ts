import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { sessions } from "@/db/schema";
import { noAccess } from "@/lib/access/access";
import { runCommand } from "@/lib/core/command";
import type { Principal, RequestMeta } from "@/lib/core/context";
import { anonymousPrincipal } from "@/lib/identity/anonymous-principal";
import { loadMemberPrincipal } from "@/lib/identity/load-member-principal";
import { resolveSession, type SessionUser } from "@/lib/identity/resolve-session";
import { hashSecret } from "@/lib/identity/secrets";
import { signInCommand } from "@/lib/identity/sign-in";
import { confirmTotpEnrollmentCommand } from "@/lib/mfa/confirm-totp-enrollment";
import { startTotpEnrollmentCommand } from "@/lib/mfa/start-totp-enrollment";
import { base32Decode, timeStep, totpCode } from "@/lib/mfa/totp";
import { verifySecondFactorCommand } from "@/lib/mfa/verify-second-factor";
import { makeMember, TEST_PASSWORD } from "./factories";
import { operatorDb } from "./as-operator";

/** Request facts as the HTTP front would pass them; `ip` null means "no address known". */
export function requestMeta(ip: string | null = null): RequestMeta {
  return { ip, userAgent: "vitest", requestId: randomUUID() };
}

export type SessionRow = typeof sessions.$inferSelect;

export interface SignedIn {
  /** The cookie's secret. */
  token: string;
  userId: string;
  pending: "mfa" | "enrollment" | null;
  /** The sessions row as stored. */
  row: SessionRow;
  /** What the per-request lookup makes of the cookie. */
  session: SessionUser;
}

/** Signs in through the real command, the way the sign-in form does. */
export async function signInAs(email: string, password = TEST_PASSWORD, ip: string | null = null): Promise<SignedIn> {
  const result = await runCommand(signInCommand, anonymousPrincipal(), requestMeta(ip), { email, password });
  return { token: result.sessionToken, userId: result.userId, pending: result.pending, ...(await sessionFor(result.sessionToken)) };
}

/** The stored row and the resolved session for a cookie value; fails when it does not resolve. */
export async function sessionFor(token: string): Promise<{ row: SessionRow; session: SessionUser }> {
  const session = await resolveSession(getDb(), token);
  if (!session) throw new Error("session does not resolve");
  const [row] = await operatorDb().select().from(sessions).where(eq(sessions.tokenHash, hashSecret(token)));
  return { row: row!, session };
}

/** The principal for acting on one's own account (no org), as app/load-viewer.ts builds it. */
export function accountPrincipalFor(session: SessionUser): Principal {
  return {
    actor: { type: "user", userId: session.userId, label: session.email },
    org: null,
    membershipId: null,
    access: noAccess,
    sessionId: session.sessionId,
    sessionAuth: { reauthenticatedAt: session.reauthenticatedAt, mfaVerifiedAt: session.mfaVerifiedAt },
    pendingSignIn: session.pending ?? undefined,
  };
}

/** The account principal for a cookie value, resolved fresh. */
export async function principalForToken(token: string): Promise<Principal> {
  return accountPrincipalFor((await sessionFor(token)).session);
}

/** The principal inside an org for a cookie value, with live access (as requirePrincipal builds it). */
export async function memberPrincipalFor(token: string, orgSlug: string): Promise<Principal> {
  const { session } = await sessionFor(token);
  const principal = await loadMemberPrincipal(getDb(), { type: "user", userId: session.userId, label: session.email }, orgSlug, {
    id: session.sessionId,
    reauthenticatedAt: session.reauthenticatedAt,
    mfaVerifiedAt: session.mfaVerifiedAt,
  });
  if (!principal) throw new Error("not a member");
  return principal;
}

/** The code an authenticator shows now, or `offsetSteps` 30-second steps away. */
export function currentTotp(secret: string, offsetSteps = 0): string {
  return totpCode(base32Decode(secret), timeStep(Date.now()) + offsetSteps);
}

/**
 * Waits until at least `marginSeconds` remain in the current TOTP step, so a code computed now
 * is judged against the same step by the command that checks it.
 */
export async function awayFromStepBoundary(marginSeconds = 6): Promise<void> {
  const intoStep = (Date.now() / 1000) % 30;
  if (30 - intoStep < marginSeconds) await new Promise((resolve) => setTimeout(resolve, (30 - intoStep + 0.2) * 1000));
}

export interface Enrolled {
  secret: string;
  recoveryCodes: string[];
  /** The session's cookie value afterwards (confirming a forced enrollment rotates it). */
  token: string;
}

/**
 * Sets up an authenticator app for the session's person (start + confirm). The confirming code
 * is the previous step's, so the current and next steps stay free for later checks.
 */
export async function enrollTotp(token: string): Promise<Enrolled> {
  const principal = await principalForToken(token);
  const { secret } = await runCommand(startTotpEnrollmentCommand, principal, requestMeta(), {});
  await awayFromStepBoundary();
  const confirmed = await runCommand(confirmTotpEnrollmentCommand, principal, requestMeta(), { code: currentTotp(secret, -1) });
  return { secret, recoveryCodes: confirmed.recoveryCodes ?? [], token: confirmed.sessionToken ?? token };
}

/** Finishes a pending "mfa" sign-in (or steps up) with a TOTP code; returns the new cookie value. */
export async function verifyTotpFor(token: string, secret: string, offsetSteps = 0): Promise<string> {
  await awayFromStepBoundary();
  const result = await runCommand(verifySecondFactorCommand, await principalForToken(token), requestMeta(), { method: "totp", code: currentTotp(secret, offsetSteps) });
  return result.sessionToken;
}

/** Ages a session's proofs, as if they happened `minutes` ago (test setup writes directly). */
export async function ageSessionProofs(sessionId: string, minutes: number, which: { reauthenticated?: boolean; mfa?: boolean } = { reauthenticated: true, mfa: true }) {
  const at = sql`now() - make_interval(mins => ${minutes})`;
  await operatorDb()
    .update(sessions)
    .set({ ...(which.reauthenticated ? { reauthenticatedAt: at } : {}), ...(which.mfa ? { mfaVerifiedAt: at } : {}) })
    .where(eq(sessions.id, sessionId));
}

/** A new member of the operator's org, signed in (a Buyer, so no second factor is due). */
export async function signedInNewMember(operator: Principal): Promise<SignedIn & { email: string }> {
  const member = await makeMember(operator);
  return { ...(await signInAs(member.email)), email: member.email };
}
