import { cache } from "react";
import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { noAccess } from "@/lib/access/access";
import type { Principal, SessionAuth } from "@/lib/core/context";
import { safeRedirectPath } from "@/lib/core/action-result";
import { runCommand } from "@/lib/core/command";
import { ConflictError } from "@/lib/core/errors";
import { readRequestMeta, REQUEST_PATH_HEADER } from "@/lib/core/request-meta";
import { auth } from "@/lib/identity/auth";
import { loadSessionPrincipal, OrgSessionEndedError } from "@/lib/identity/load-member-principal";
import { requireSessionMfaCommand } from "@/lib/identity/require-session-mfa";
import type { PendingSignIn } from "@/lib/identity/resolve-session";

export interface Viewer {
  userId: string;
  email: string;
  name: string;
  sessionId: string;
  pending: PendingSignIn | null;
  sessionAuth: SessionAuth;
}

/** The signed-in person (finished signing in or not), checked against the sessions table once per request. */
export const loadSession = cache(async (): Promise<Viewer | null> => {
  const session = await auth();
  if (!session?.user?.id || !session.sessionId) return null;
  return {
    userId: session.user.id,
    email: session.user.email,
    name: session.user.name,
    sessionId: session.sessionId,
    pending: session.pending,
    sessionAuth: { reauthenticatedAt: new Date(session.reauthenticatedAt), mfaVerifiedAt: session.mfaVerifiedAt ? new Date(session.mfaVerifiedAt) : null },
  };
});

/** The signed-in person, only once signing in is finished (second factor done, MFA set up if required). */
export const loadViewer = cache(async (): Promise<Viewer | null> => {
  const viewer = await loadSession();
  return viewer && !viewer.pending ? viewer : null;
});

/** Where a half-finished sign-in continues. */
export function pendingSignInPath(pending: PendingSignIn, next: string): string {
  const page = pending === "mfa" ? "/sign-in/verify" : "/account/security/enroll";
  return `${page}?callbackUrl=${encodeURIComponent(next)}`;
}

/**
 * The signed-in person, or a redirect: to sign-in when there is no session, and to the second
 * factor or MFA enrollment when the sign-in is not finished, before anything else.
 */
export async function requireViewer(): Promise<Viewer> {
  const viewer = await loadSession();
  if (!viewer) redirect(`/sign-in?callbackUrl=${encodeURIComponent(await currentPath())}`);
  if (viewer.pending) redirect(pendingSignInPath(viewer.pending, await currentPath()));
  return viewer;
}

export async function currentPath(): Promise<string> {
  const url = new URL((await headers()).get(REQUEST_PATH_HEADER) ?? "/", "http://local");
  url.searchParams.delete("_rsc"); // Next's client-navigation marker, not part of the page
  return safeRedirectPath(url.pathname + url.search);
}

/**
 * The viewer as a member of the org in the URL, with access loaded fresh for this request.
 * Not a member (or no such org) answers 404, so a stranger learns nothing about the org. When MFA
 * is due here (an admin-class permission, or the org's policy) and this session never passed it,
 * because the grant or the policy came after it signed in, the session goes back to the second
 * factor or enrollment step now, not at the next sign-in. That costs nothing in the common case:
 * mfaDue comes from the rows the principal is loaded from.
 */
export const requirePrincipal = cache(async (orgSlug: string): Promise<Principal> => {
  const viewer = await requireViewer();
  const principal = await loadSessionPrincipal(viewer, orgSlug).catch(async (error: unknown) => {
    // This org ended the member's sessions: a fresh sign-in, which their other orgs do not need.
    if (error instanceof OrgSessionEndedError) redirect(`/sign-in?notice=org-session-ended&callbackUrl=${encodeURIComponent(await currentPath())}`);
    throw error;
  });
  if (!principal) notFound();
  if (principal.mfaDue && !viewer.sessionAuth.mfaVerifiedAt) {
    const outcome = await runCommand(requireSessionMfaCommand, principal, await loadRequestMeta(), {}).catch((error: unknown) => {
      // Another request passed MFA (or ended the session) meanwhile: this page, loaded afresh, will tell.
      if (error instanceof ConflictError) return null;
      throw error;
    });
    redirect(outcome ? pendingSignInPath(outcome.pending, await currentPath()) : await currentPath());
  }
  return principal;
});

/** The principal for acting on one's own account (no org): sessions, factors, password. */
export function accountPrincipal(viewer: Viewer): Principal {
  return {
    actor: { type: "user", userId: viewer.userId, label: viewer.email },
    org: null,
    membershipId: null,
    access: noAccess,
    sessionId: viewer.sessionId,
    sessionAuth: viewer.sessionAuth,
    pendingSignIn: viewer.pending ?? undefined,
  };
}

export async function loadRequestMeta() {
  return readRequestMeta(await headers());
}
